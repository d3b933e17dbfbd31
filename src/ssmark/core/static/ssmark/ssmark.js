// Behaviour shared by every page. No inline scripts or on* attributes anywhere (the
// Content-Security-Policy allows only the project's own script files).
"use strict";
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.dataset.autosubmit !== undefined && field.form) {
    field.form.submit();
  }
});
