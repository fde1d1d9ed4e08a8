// The officers' dashboard: one ECharts chart per [data-chart]; a click on a bar or point
// opens the level below or the records behind it; each chart has a table view and a
// PNG download. Options come from the page (json_script), nothing inline.
(function () {
  "use strict";
  function init() {
    var node = document.getElementById("insights-options");
    if (!node || !window.echarts) { return; }
    var options = JSON.parse(node.textContent);
    var charts = {};
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var o = options[el.dataset.chart];
      if (!o) { return; }
      el.style.height = "260px";
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      var stack = o.kind === "stack";
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis", renderMode: "richText" },
        legend: { top: 0, type: "scroll" },
        grid: { left: 40, right: 10, top: 30, bottom: 40, containLabel: true },
        xAxis: { type: "category", data: o.categories, axisLabel: { interval: 0, rotate: o.categories.length > 6 ? 40 : 0 } },
        yAxis: { type: "value", max: o.percent ? 100 : null },
        series: o.series.map(function (s) {
          return { name: s.name, type: o.kind === "line" ? "line" : "bar", stack: stack ? "all" : null, data: s.data, connectNulls: false };
        })
      });
      chart.on("click", function (p) {
        var url = o.links[p.dataIndex];
        if (url) { window.location.href = url; }
      });
      charts[el.dataset.chart] = chart;
      el.dataset.ready = "1";
    });
    window.addEventListener("resize", function () {
      Object.keys(charts).forEach(function (k) { charts[k].resize(); });
    });
    document.querySelectorAll("[data-chart-table]").forEach(function (b) {
      b.addEventListener("click", function () {
        var t = document.getElementById("table-" + b.dataset.chartTable);
        if (t) { t.classList.toggle("d-none"); }
      });
    });
    document.querySelectorAll("[data-chart-png]").forEach(function (b) {
      b.addEventListener("click", function () {
        var chart = charts[b.dataset.chartPng];
        if (!chart) { return; }
        var a = document.createElement("a");
        a.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
        a.download = b.dataset.filename;
        document.body.appendChild(a);
        a.click();
        a.remove();
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
