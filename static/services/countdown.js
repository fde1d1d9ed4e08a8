// Live quarter-hour countdown: every element with data-deadline (ISO 8601) shows mm:ss
// left, turns amber in the last three minutes and red, with data-over text, once over.
(function () {
  "use strict";
  function pad(n) { return String(n).padStart(2, "0"); }
  function tick() {
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var left = Math.floor((Date.parse(el.dataset.deadline) - Date.now()) / 1000);
      if (isNaN(left)) { return; }
      if (left <= 0) {
        el.textContent = el.dataset.over || "—";
        el.classList.remove("text-warning");
        el.classList.add("text-danger", "fw-bold");
        return;
      }
      el.textContent = pad(Math.floor(left / 60)) + ":" + pad(left % 60);
      if (left < 180) { el.classList.add("text-warning"); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 1000);
  });
})();
