/* Dashboard charts: draw each plotly figure from its JSON data block (CSP: no inline scripts).
   The text alternative and the table under each chart carry the same numbers without JS. */
(function () {
  "use strict";

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-figure"));
    if (!source || typeof Plotly === "undefined") { return; }
    var figure = JSON.parse(source.textContent);
    Plotly.newPlot(container, figure.data || [], figure.layout || {}, {
      responsive: true,
      displayModeBar: false,
      displaylogo: false
    }).then(function () {
      container.setAttribute("data-drawn", "true");
    });
  }

  function start() {
    var charts = document.querySelectorAll("[data-figure]");
    for (var i = 0; i < charts.length; i += 1) { draw(charts[i]); }
    var printers = document.querySelectorAll("[data-print]");
    for (var j = 0; j < printers.length; j += 1) {
      printers[j].addEventListener("click", function () { window.print(); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
