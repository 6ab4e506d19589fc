// The leader's dashboard: one ECharts line chart per indicator (expected trajectory against
// actuals), drawn from the JSON the page embeds (#dashboard-charts); pickers submit on change.
(function () {
  "use strict";

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  var dataNode = document.getElementById("dashboard-charts");
  if (!dataNode || typeof window.echarts === "undefined") return;
  var charts = JSON.parse(dataNode.textContent);
  var grid = document.querySelector(".ind-grid");
  var label = function (name, fallback) { return (grid && grid.dataset[name]) || fallback; };
  var css = getComputedStyle(document.documentElement);
  var colour = function (name, fallback) { return (css.getPropertyValue(name) || "").trim() || fallback; };
  // Canvas text does not inherit the page's CSS: hand ECharts the same font stack (Noto Sans CJK first).
  var font = getComputedStyle(document.body).fontFamily;
  var statusColour = {
    normal: colour("--ok", "#1e8e3e"),
    warning: colour("--warn", "#b26a00"),
    lagging: colour("--late", "#c5221f"),
    no_data: "#8a9099"
  };
  var numberText = function (value, unit) {
    if (value === null || value === undefined) return "—";
    var rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
    return rounded.toLocaleString("zh-CN") + (unit || "");
  };

  var drawn = [];
  charts.forEach(function (c) {
    var node = document.getElementById("chart-" + c.id);
    if (!node) return;
    var accent = statusColour[c.status] || statusColour.no_data;
    var series = [
      {
        name: label("labelExpected", "Expected"),
        type: "line",
        data: c.expected,
        symbol: "none",
        lineStyle: { type: "dashed", width: 1.5, color: "#6b7280" },
        itemStyle: { color: "#6b7280" },
        connectNulls: true
      },
      {
        name: label("labelActual", "Actual"),
        type: "line",
        data: c.actual,
        symbolSize: 5,
        lineStyle: { width: 2.5, color: accent },
        itemStyle: { color: accent },
        areaStyle: { color: accent, opacity: 0.08 },
        connectNulls: false
      }
    ];
    if (c.target !== null) {
      series[0].markLine = {
        silent: true,
        symbol: "none",
        label: { formatter: label("labelTarget", "Target") + " " + numberText(c.target, c.unit), position: "insideStartTop", fontFamily: font, fontSize: 10, color: "#6b7280" },
        lineStyle: { color: "#b71c1c", type: "dotted", width: 1 },
        data: [{ yAxis: c.target }]
      };
    }
    var chart = window.echarts.init(node, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: font },
      grid: { left: 8, right: 12, top: 28, bottom: 4, containLabel: true },
      legend: { top: 0, right: 0, itemWidth: 16, itemHeight: 8, textStyle: { fontFamily: font, fontSize: 11 } },
      tooltip: {
        trigger: "axis",
        textStyle: { fontFamily: font },
        valueFormatter: function (v) {
          if (c.grades && v !== null && v !== undefined) return c.grades[Math.round(v)] || String(v);
          return numberText(v, c.unit);
        }
      },
      xAxis: {
        type: "category",
        data: c.labels,
        boundaryGap: false,
        axisLabel: { fontFamily: font, fontSize: 10, hideOverlap: true }
      },
      yAxis: c.grades ? {
        type: "value",
        min: 0,
        max: c.grades.length - 1,
        interval: 1,
        axisLabel: { fontFamily: font, fontSize: 10, formatter: function (v) { return c.grades[v] || ""; } },
        splitLine: { lineStyle: { color: "#eef1f5" } }
      } : {
        type: "value",
        scale: true,
        name: c.unit,
        nameTextStyle: { fontFamily: font, fontSize: 10, align: "right" },
        axisLabel: { fontFamily: font, fontSize: 10 },
        splitLine: { lineStyle: { color: "#eef1f5" } }
      },
      series: series
    });
    node.dataset.rendered = "1";
    drawn.push(chart);
  });

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { drawn.forEach(function (chart) { chart.resize(); }); }, 150);
  });
})();
