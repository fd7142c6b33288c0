// Countdown of the running workshop stage. The server renders the remaining
// minutes (so the page works without JS) and the seconds left at render time;
// counting from page load keeps a wrong phone clock out of the picture.
(function () {
  "use strict";
  var box = document.getElementById("hitung-mundur");
  if (!box) return;
  var left0 = parseInt(box.dataset.sisaDetik, 10);
  if (isNaN(left0)) return;
  var label = box.querySelector(".hm-label");
  var clock = box.querySelector(".hm-waktu");
  var loaded = Date.now();

  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function format(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return (h ? h + ":" + pad(m) : String(m)) + ":" + pad(s);
  }
  function tick() {
    var left = left0 - Math.floor((Date.now() - loaded) / 1000);
    var over = left < 0;
    label.textContent = over ? box.dataset.labelLewat : box.dataset.labelSisa;
    clock.textContent = (over ? "+" : "") + format(Math.abs(left));
    box.classList.toggle("bg-light", !over);
    box.classList.toggle("bg-danger-subtle", over);
    box.classList.toggle("text-danger-emphasis", over);
  }
  tick();
  setInterval(tick, 1000);
})();
