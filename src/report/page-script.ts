/**
 * The script the report page runs: it reads the chart model from the page's JSON data block and
 * draws each chart with Chart.js (inlined before it). It only adds what JSON cannot carry:
 * currency formatting of axes and tooltips.
 *
 * Kept as plain ES2019 text (not compiled from TypeScript at render time) so the bytes in the
 * page, and therefore the Content-Security-Policy hash, are the same from source and from the
 * bundled CLI. The browser test runs it.
 *
 * The page records the outcome on <html data-charts="ready|failed">; a failure is shown in the
 * page, because the tables still carry every number.
 */
export const PAGE_SCRIPT = `(function () {
  "use strict";
  var root = document.documentElement;
  function fail(error) {
    root.setAttribute("data-charts", "failed");
    var box = document.getElementById("chart-error");
    if (box) {
      box.textContent = "The charts could not be drawn (" + String(error && error.message || error) +
        "). The tables below carry every figure.";
      box.hidden = false;
    }
  }
  try {
    if (typeof Chart !== "function") throw new Error("the charting library did not load");
    var model = JSON.parse(document.getElementById("chart-data").textContent);
    var formats = {};
    // The style of src/util/money: "1,234.50 USD".
    function money(amount, digits) {
      var key = String(digits);
      if (!formats[key]) {
        formats[key] = new Intl.NumberFormat("en-US", { minimumFractionDigits: digits,
          maximumFractionDigits: digits, signDisplay: "negative" });
      }
      return formats[key].format(amount) + " " + model.currency;
    }
    // formatUnitMoney's style: up to four decimals below one unit ("0.0123 USD").
    var unitFormats = [
      new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 4, signDisplay: "negative" }),
      new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: "negative" })
    ];
    function unitMoney(amount) {
      return unitFormats[Math.abs(amount) < 1 ? 0 : 1].format(amount) + " " + model.currency;
    }
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
    Chart.defaults.color = "#333";
    Chart.defaults.plugins.legend.position = "bottom";
    model.charts.forEach(function (spec) {
      var config = spec.config;
      var options = config.options || (config.options = {});
      var plugins = options.plugins || (options.plugins = {});
      var tooltip = plugins.tooltip || (plugins.tooltip = {});
      tooltip.callbacks = {
        label: function (ctx) {
          var value = spec.moneyAxis === "x" ? ctx.parsed.x : spec.moneyAxis === "y" ? ctx.parsed.y : ctx.parsed;
          if (value === null || value === undefined) return ctx.dataset.label + ": none";
          var text = spec.unitAmounts ? unitMoney(value) : money(value, 2);
          if (spec.showShare) {
            var total = ctx.dataset.data.reduce(function (sum, v) { return sum + (v || 0); }, 0);
            if (total > 0) text += " (" + (100 * value / total).toFixed(1) + "%)";
            return ctx.label + ": " + text;
          }
          return ctx.dataset.label + ": " + text;
        }
      };
      if (spec.moneyAxis !== "none") {
        var scales = options.scales || (options.scales = {});
        var axis = scales[spec.moneyAxis] || (scales[spec.moneyAxis] = {});
        axis.ticks = axis.ticks || {};
        axis.ticks.callback = function (value) { return money(Number(value), spec.tickDigits || 0); };
        axis.beginAtZero = true;
      }
      if (spec.pointLabels && spec.pointLabels.length > 0) {
        // Writes the amount beside each listed point (a credit's dip), in the dataset's colour.
        config.plugins = [{
          id: "pointLabels",
          afterDatasetsDraw: function (chart) {
            var ctx = chart.ctx;
            ctx.save();
            ctx.font = "600 12px " + Chart.defaults.font.family;
            ctx.textBaseline = "top";
            spec.pointLabels.forEach(function (label) {
              var point = chart.getDatasetMeta(label.dataset).data[label.index];
              if (!point) return;
              var text = "credit " + money(label.amount, 2);
              var x = Math.min(point.x + 6, chart.chartArea.right - ctx.measureText(text).width);
              ctx.fillStyle = chart.data.datasets[label.dataset].borderColor;
              ctx.fillText(text, x, point.y + 4);
            });
            ctx.restore();
          }
        }];
      }
      new Chart(document.getElementById(spec.canvasId), config);
    });
    // Canvas charts are sized for the screen; resize them to the paper before printing.
    window.addEventListener("beforeprint", function () {
      Object.keys(Chart.instances).forEach(function (id) { Chart.instances[id].resize(); });
    });
    root.setAttribute("data-charts", "ready");
    if (window.performance && performance.mark) performance.mark("charts-drawn");
  } catch (error) {
    fail(error);
  }
})();
`;
