// Editor: warn before leaving a form with unsaved changes; no framework.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.editor-form");
    if (!form) { return; }
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
    // Service levels: show the fieldsets that apply to the chosen metric (and any filled one).
    var metric = form.querySelector("select[name='metric']");
    function filled(group) {
      return Array.prototype.some.call(group.querySelectorAll("input, select, textarea"), function (el) {
        return el.value !== "" || el.getAttribute("aria-invalid") === "true";
      });
    }
    function toggle() {
      var groups = form.querySelectorAll("fieldset[data-metrics]");
      Array.prototype.forEach.call(groups, function (group) {
        var applies = group.getAttribute("data-metrics").split(" ").indexOf(metric.value) >= 0;
        group.hidden = !applies && !filled(group);
      });
    }
    if (metric) { metric.addEventListener("change", toggle); toggle(); }
    var invalid = form.querySelector("[aria-invalid='true']");
    if (invalid) { invalid.focus(); invalid.scrollIntoView({ block: "center" }); }
  });
})();
