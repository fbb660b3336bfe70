/* Dashboard charts: draw each plotly figure from its JSON data block (CSP: no inline scripts).
   The text alternative and the table under each chart carry the same numbers without JS.
   Each chart has plotly's toolbar (real buttons, named in the page's language) with a PNG
   download; the drawing itself is hidden from screen readers, which read the text
   alternative. A chart with data-width (the printable report) is drawn at that width, the
   width of an A4 page's text, so that it prints as it is shown, without a toolbar. */
(function () {
  "use strict";

  function localeSettings() {
    var source = document.getElementById("plotly-locale");
    if (!source || typeof Plotly === "undefined") { return {}; }
    var settings = JSON.parse(source.textContent);
    Plotly.register({moduleType: "locale", name: settings.locale, dictionary: settings.dictionary});
    return {locale: settings.locale};
  }

  function draw(container, locale) {
    var source = document.getElementById(container.getAttribute("data-figure"));
    if (!source || typeof Plotly === "undefined") { return; }
    var figure = JSON.parse(source.textContent);
    var layout = figure.layout || {};
    var width = container.getAttribute("data-width");
    if (width) { layout.width = parseInt(width, 10); }
    var config = {
      responsive: !width,
      displayModeBar: !width,
      modeBarButtons: [["toImage"]],
      toImageButtonOptions: {format: "png", filename: container.getAttribute("data-figure"), scale: 2},
      displaylogo: false
    };
    if (locale.locale) { config.locale = locale.locale; }
    Plotly.newPlot(container, figure.data || [], layout, config).then(function () {
      var drawings = container.querySelectorAll("svg.main-svg");
      for (var i = 0; i < drawings.length; i += 1) { drawings[i].setAttribute("aria-hidden", "true"); }
      container.setAttribute("data-drawn", "true");
    });
  }

  function start() {
    var locale = localeSettings();
    var charts = document.querySelectorAll("[data-figure]");
    for (var i = 0; i < charts.length; i += 1) { draw(charts[i], locale); }
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
