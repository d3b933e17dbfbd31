/* Applicant pages: evidence added in place (the item's fragment is swapped, no page reload),
   upload progress, autosave of claims and explanations, "save and next item", and a warning
   before leaving with unsaved text. Without JavaScript every form still works as a plain post.
   No inline scripts: the Content-Security-Policy allows only our own files. */
(function () {
  "use strict";

  var AUTOSAVE_MS = 1200;

  function csrf(form) {
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return token ? token.value : "";
  }

  function sameDocument(a, b) {
    return a.split("#")[0] === b.split("#")[0];
  }

  function go(location) {
    if (sameDocument(location, window.location.href)) {
      var hash = location.indexOf("#") >= 0 ? location.slice(location.indexOf("#")) : "";
      if (hash) { window.location.hash = hash; }
      window.location.reload();
    } else {
      window.location.assign(location);
    }
  }

  /* Put a server-rendered item fragment in place of the item it belongs to. */
  function swapItem(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var fresh = holder.firstElementChild;
    if (!fresh || !fresh.id) { return null; }
    var old = document.getElementById(fresh.id);
    if (!old) { return null; }
    old.replaceWith(fresh);
    if (window.htmx) { window.htmx.process(fresh); }
    document.body.dispatchEvent(new CustomEvent("readiness-changed"));
    fresh.dispatchEvent(new CustomEvent("htmx:load", { bubbles: true }));
    return fresh;
  }

  /* --- files: XMLHttpRequest with progress; the answer is the item's fragment ------------- */
  function upload(form, event) {
    if (!window.FormData || !window.XMLHttpRequest) { return; }
    var inputs = form.querySelectorAll("input[type=file]");
    var file = null;
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].files && inputs[i].files.length) { file = inputs[i].files[0]; }
    }
    if (!file) { return; }  /* nothing to upload: a normal post */
    var status = form.querySelector(".upload-status");
    var bar = form.querySelector("progress");
    var button = form.querySelector("button[type=submit]");
    var max = parseInt(form.getAttribute("data-max-bytes") || "0", 10);
    event.preventDefault();
    if (max && file.size > max) {
      if (status) {
        status.textContent = (form.getAttribute("data-too-large") || "").replace("{name}", file.name);
        status.className = "upload-status error";
      }
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("X-Fragment", "1");
    xhr.setRequestHeader("X-CSRFToken", csrf(form));
    if (button) { button.disabled = true; }
    if (bar) { bar.hidden = false; bar.value = 0; }
    if (status) { status.className = "upload-status"; status.textContent = "0%"; }
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { return; }
      if (bar) { bar.max = e.total; bar.value = e.loaded; }
      if (status) { status.textContent = Math.round((100 * e.loaded) / e.total) + "%"; }
    });
    xhr.addEventListener("load", function () {
      var type = xhr.getResponseHeader("Content-Type") || "";
      if (xhr.status === 200 && type.indexOf("text/html") === 0 && swapItem(xhr.responseText)) {
        return;
      }
      if (xhr.status >= 200 && xhr.status < 400) {
        go(xhr.getResponseHeader("X-Location") || window.location.href);
        return;
      }
      if (button) { button.disabled = false; }
      if (bar) { bar.hidden = true; }
      if (status) {
        status.textContent = xhr.status === 413 ? (form.getAttribute("data-too-large") || "").replace("{name}", file.name) : xhr.responseText;
        status.className = "upload-status error";
      }
    });
    xhr.addEventListener("error", function () {
      if (button) { button.disabled = false; }
      if (bar) { bar.hidden = true; }
      if (status) { status.textContent = form.getAttribute("data-failed") || "!"; status.className = "upload-status error"; }
    });
    xhr.send(new FormData(form));
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.hasAttribute && form.hasAttribute("data-upload")) { upload(form, event); }
  });

  /* --- explanations: autosave (debounced), with a visible state ---------------------------- */
  var timers = new WeakMap();
  var inflight = new WeakMap();

  function setState(form, state, text) {
    var out = form.querySelector(".autosave-status");
    var area = form.querySelector("textarea[data-autosave]");
    if (!out || !area) { return; }
    out.className = "autosave-status small " + state;
    out.textContent = text || area.getAttribute("data-" + state) || "";
  }

  function autosave(form) {
    timers.delete(form);
    var area = form.querySelector("textarea[data-autosave]");
    if (!area || !window.fetch) { return Promise.resolve(); }
    var sent = area.value;
    setState(form, "saving");
    var request = fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Autosave": "1", "X-CSRFToken": csrf(form) },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.ok && result.body.ok) {
        var version = form.querySelector("input[name=version]");
        if (version) { version.value = result.body.version; }
        if (area.value === sent) {
          delete form.dataset.dirty;
          setState(form, "saved", (area.getAttribute("data-saved") || "") + " " + result.body.saved_at);
        }
      } else {
        setState(form, "error", result.body.error || "!");
      }
    }).catch(function () {
      setState(form, "error", area.getAttribute("data-unsaved"));
    }).then(function () { inflight.delete(form); });
    inflight.set(form, request);
    return request;
  }

  /* Finish a pending autosave first, so the next save carries the current version. */
  function flush(form) {
    if (timers.has(form)) { clearTimeout(timers.get(form)); timers.delete(form); }
    return inflight.get(form) || Promise.resolve();
  }

  document.addEventListener("input", function (event) {
    var area = event.target;
    if (!area || !area.matches || !area.matches("textarea[data-autosave]") || !area.form) { return; }
    var form = area.form;
    form.dataset.dirty = "1";
    setState(form, "unsaved");
    if (timers.has(form)) { clearTimeout(timers.get(form)); }
    timers.set(form, setTimeout(function () {
      (inflight.get(form) || Promise.resolve()).then(function () { autosave(form); });
    }, AUTOSAVE_MS));
  });

  /* Claims and grades save as soon as they are chosen (htmx posts the form). */
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.classList && el.classList.contains("autosave") && el.form && el.form.requestSubmit) {
      var form = el.form;
      flush(form).then(function () { form.requestSubmit(); });
    }
  });

  /* Warn before leaving the page with text that is not saved yet. */
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form[data-dirty]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target && event.target.closest ? event.target.closest("form") : null;
    if (form) { delete form.dataset.dirty; }
  });

  /* --- "save and next item" ---------------------------------------------------------------- */
  var nextAfter = null;
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("button.save-next") : null;
    if (!button || !window.htmx) { return; }
    var item = button.closest("details.item");
    nextAfter = item ? item.id : null;
  });
  /* htmx:load fires on the new item once it is in the page. */
  document.addEventListener("htmx:load", function (event) {
    var item = event.target;
    if (!nextAfter || !item || item.id !== nextAfter) { return; }
    nextAfter = null;
    if (!item || item.querySelector(".item-error")) { return; }  /* refused: stay here */
    var all = Array.prototype.slice.call(document.querySelectorAll("details.item"));
    var next = all[all.indexOf(item) + 1];
    if (!next) { return; }
    item.open = false;
    next.open = true;
    next.scrollIntoView({ block: "start" });
    var first = next.querySelector("input:not([type=hidden]), select, textarea");
    if (first) { first.focus({ preventScroll: true }); }
  });

  /* Open the item the address points at (#item-1-1-1). */
  function openFromHash() {
    if (!window.location.hash) { return; }
    var el = document.getElementById(window.location.hash.slice(1));
    if (el && el.tagName === "DETAILS") { el.open = true; }
  }
  window.addEventListener("hashchange", openFromHash);
  document.addEventListener("DOMContentLoaded", openFromHash);

  /* Confirmation for destructive buttons. */
  document.addEventListener("click", function (event) {
    var el = event.target;
    if (el && el.getAttribute && el.getAttribute("data-confirm")) {
      if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); event.stopPropagation(); }
    }
  });
})();
