// The village filing form: show the material list of the item chosen (hidden lists for
// every item are in the page; without scripts the operator opens the item's guide).
(function () {
  "use strict";
  var select = document.getElementById("id_item");
  var box = document.getElementById("materials");
  if (!select || !box) { return; }
  function show() {
    var any = false;
    box.querySelectorAll(".item-materials").forEach(function (list) {
      var on = list.getAttribute("data-item") === select.value;
      list.hidden = !on;
      any = any || on;
    });
    box.querySelector(".materials-hint").hidden = any;
  }
  select.addEventListener("change", show);
  show();
})();
