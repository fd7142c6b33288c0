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
  // "Salin": copy a read-only text box to the clipboard (without JavaScript
  // the text can still be selected and copied by hand).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) {
      return;
    }
    var box = document.getElementById(button.getAttribute("data-copy"));
    if (!box) {
      return;
    }
    var done = function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied") || label;
      window.setTimeout(function () { button.textContent = label; }, 2000);
    };
    box.focus();
    box.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(done, function () {
        if (document.execCommand("copy")) { done(); }
      });
    } else if (document.execCommand("copy")) {
      done();
    }
  });
})();
