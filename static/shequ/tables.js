// Label each cell of a .table-cards table with its column's heading (data-label), so on a
// phone, where the shared CSS shows each row as a card, every value says what it is.
// A cell the template labelled itself keeps its label; colspan is followed.
(function () {
  "use strict";
  function label(root) {
    root.querySelectorAll("table.table-cards").forEach(function (table) {
      var heads = [];
      var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!row) return;
      Array.prototype.forEach.call(row.cells, function (th) {
        for (var i = 0; i < th.colSpan; i++) heads.push(th.textContent.trim());
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (tr) {
          var col = 0;
          Array.prototype.forEach.call(tr.cells, function (cell) {
            if (!cell.hasAttribute("data-label") && heads[col] && cell.colSpan === 1) {
              cell.setAttribute("data-label", heads[col]);
            }
            col += cell.colSpan;
          });
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { label(document); });
  document.addEventListener("htmx:afterSettle", function (e) { label(e.target.ownerDocument || document); });
})();
