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
  // "Geser tabel ke samping": shown above a table only when it is wider than
  // its box (without JavaScript, CSS shows it on every narrow screen).
  var petunjukGeser = function () {
    var hints = document.querySelectorAll(".geser-petunjuk");
    for (var i = 0; i < hints.length; i++) {
      var box = hints[i].nextElementSibling;
      if (box && box.clientWidth) {  // a box out of sight is measured as 0
        hints[i].setAttribute("data-meluap", box.scrollWidth > box.clientWidth + 1 ? "ya" : "tidak");
      }
    }
  };
  petunjukGeser();
  window.addEventListener("resize", petunjukGeser);
})();
