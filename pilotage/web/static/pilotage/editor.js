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
    var invalid = form.querySelector("[aria-invalid='true']");
    if (invalid) { invalid.focus(); invalid.scrollIntoView({ block: "center" }); }
  });
})();
