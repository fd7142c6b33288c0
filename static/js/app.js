// Small progressive enhancements used on every page (no inline scripts: CSP).
(function () {
  "use strict";
  // A destructive button asks first; without JavaScript the action still works
  // and the history keeps what was removed.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
