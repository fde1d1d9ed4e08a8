// The resident picker: as the search box is typed in, ask the registry (a POST, so an ID
// number never reaches a URL) and show who it finds as radios. Without JavaScript the
// 查找 button does the same search on the server.
(function () {
  "use strict";
  function setUp(picker) {
    var box = picker.querySelector("input[type=search]");
    var list = picker.querySelector("#resident-choices");
    var form = picker.closest("form");
    var timer = null;
    var asked = 0;
    function show(results) {
      var checked = list.querySelector("input:checked");
      var keep = checked ? checked.value : "";
      list.textContent = "";
      if (!results.length) {
        var none = document.createElement("p");
        none.className = "small text-muted mb-0";
        none.textContent = picker.dataset.empty;
        list.appendChild(none);
      }
      results.forEach(function (r) {
        var row = document.createElement("div");
        row.className = "form-check";
        var input = document.createElement("input");
        input.className = "form-check-input";
        input.type = "radio";
        input.name = "resident";
        input.value = String(r.id);
        input.id = "resident-" + r.id;
        input.checked = input.value === keep || results.length === 1;
        var label = document.createElement("label");
        label.className = "form-check-label";
        label.htmlFor = input.id;
        label.textContent = r.label;
        row.appendChild(input);
        row.appendChild(label);
        list.appendChild(row);
      });
    }
    function ask() {
      var mine = ++asked;
      var body = new FormData();
      body.append("q", box.value);
      body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      fetch(picker.dataset.url, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && mine === asked) { show(data.results); } })
        .catch(function () { /* the 查找 button still works */ });
    }
    box.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 250);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); window.clearTimeout(timer); ask(); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#resident-picker[data-url]").forEach(setUp);
  });
})();
