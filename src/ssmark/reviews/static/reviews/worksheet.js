// The pass button is enabled when the official verdict passes, or when the reviewer ticks
// "override" (the server still requires the written reason). htmx swaps the button out of band
// after each saved finding, so re-check then too.
(function () {
  function sync() {
    var button = document.getElementById("pass-button");
    var override = document.querySelector("#decision input[name=override]");
    if (!button) return;
    var passes = button.dataset.verdictPasses === "true";
    button.disabled = !(passes || (override && override.checked));
  }
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "override") sync();
  });
  document.addEventListener("htmx:afterSettle", sync);
  document.addEventListener("DOMContentLoaded", sync);
})();

// Findings save themselves: a finding (radio) or grade at once, a comment when its field is
// left (so the cell is never swapped while someone is typing). htmx posts the form and swaps
// the finding cell; the "Save finding" button stays for keyboards and for use without JS.
(function () {
  function form(el) {
    return el && el.closest ? el.closest("form.finding-form") : null;
  }
  document.addEventListener("change", function (event) {
    var el = event.target;
    var f = form(el);
    if (!f || !f.requestSubmit) return;
    if (el.type === "radio" || el.tagName === "SELECT" || el.tagName === "TEXTAREA") {
      f.requestSubmit();
    }
  });
})();

