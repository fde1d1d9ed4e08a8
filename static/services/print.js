// Buttons marked data-print open the browser's print dialog (notices are printed on paper).
document.addEventListener("click", function (event) {
  "use strict";
  if (event.target.closest("[data-print]")) { window.print(); }
});
