/* A live "12 / 20000" counter under every textarea with a maxlength and data-counter.
   The limit is enforced by the browser (maxlength) and again by the server. */
(function () {
  "use strict";
  function counterFor(area) {
    var next = area.nextElementSibling;
    if (next && next.classList && next.classList.contains("text-counter")) { return next; }
    var out = document.createElement("span");
    out.className = "text-counter small muted";
    out.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", out);
    return out;
  }
  function update(area) {
    var max = parseInt(area.getAttribute("maxlength") || "0", 10);
    if (!max) { return; }
    var out = counterFor(area);
    out.textContent = area.value.length + " / " + max;
    out.classList.toggle("over", area.value.length >= max);
  }
  function scan(root) {
    var areas = (root || document).querySelectorAll("textarea[data-counter][maxlength]");
    for (var i = 0; i < areas.length; i++) { update(areas[i]); }
  }
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("textarea[data-counter][maxlength]")) { update(el); }
  });
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
})();
