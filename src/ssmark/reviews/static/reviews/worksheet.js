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
