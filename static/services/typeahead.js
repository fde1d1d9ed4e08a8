// Type-ahead over a plain <select data-typeahead>: a search box above it filters the
// options by what each carries in data-search (code, name, pinyin initials) and picks the
// first match. Without JavaScript the select works as it is.
(function () {
  "use strict";
  function setUp(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.dataset.filterLabel || "";
    box.setAttribute("aria-label", select.dataset.filterLabel || "");
    box.autocomplete = "off";
    select.parentNode.insertBefore(box, select);
    var options = Array.prototype.slice.call(select.options);
    function filter() {
      var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var first = null;
      var shown = 0;
      options.forEach(function (option) {
        var text = option.dataset.search || "";
        var match = !option.value || words.every(function (w) { return text.indexOf(w) >= 0; });
        option.hidden = !match;
        option.disabled = !match && !!option.value;
        if (match && option.value) {
          shown += 1;
          if (first === null) { first = option; }
        }
      });
      if (words.length && first !== null) { select.value = first.value; }
      select.size = words.length ? Math.max(2, Math.min(8, shown + 1)) : 0;
    }
    box.addEventListener("input", filter);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); select.focus(); }
      if (event.key === "ArrowDown") { event.preventDefault(); select.focus(); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-typeahead]").forEach(setUp);
  });
})();
