/* Applicant pages: upload progress (XMLHttpRequest) and autosave of claims.
   Without JavaScript every form still works as a plain form post. */
(function () {
  "use strict";

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
    if (max && file.size > max) {
      event.preventDefault();
      if (status) {
        status.textContent = (form.getAttribute("data-too-large") || "").replace("{name}", file.name);
        status.className = "upload-status error";
      }
      return;
    }
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { xhr.setRequestHeader("X-CSRFToken", token.value); }
    if (button) { button.disabled = true; }
    if (bar) { bar.hidden = false; bar.value = 0; }
    if (status) { status.className = "upload-status"; status.textContent = "0%"; }
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { return; }
      if (bar) { bar.max = e.total; bar.value = e.loaded; }
      if (status) { status.textContent = Math.round((100 * e.loaded) / e.total) + "%"; }
    });
    xhr.addEventListener("load", function () {
      if (xhr.status >= 200 && xhr.status < 400) {
        if (status) { status.textContent = form.getAttribute("data-done") || "100%"; }
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

  /* Claims and grades save as soon as they are chosen (htmx posts the form). */
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.classList && el.classList.contains("autosave") && el.form && el.form.requestSubmit) {
      el.form.requestSubmit();
    }
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
      if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
    }
  });
})();
