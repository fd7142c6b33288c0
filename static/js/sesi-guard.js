// In <head>, before the page is drawn: a page belongs to the login it was
// shown to (program/sesi.py). When this browser no longer has that login's
// cookie — cookies cleared, the session expired, someone else logged in — the
// page is one the service worker kept on the device: it is hidden, the worker
// drops every kept page, and the page loads again (offline: the notice that
// the page is not available; online: the login page).
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="pwa-sesi"]');
  if (!meta) return;
  var match = document.cookie.match(/(?:^|;\s*)pwa_sesi=([^;]*)/);
  if (match && match[1] === meta.content) return;

  document.documentElement.style.visibility = "hidden";
  // offline-app.js must not announce this page's user to the worker again.
  document.documentElement.dataset.sesiDibuang = "1";
  var again = function () {
    // Once only: if the page is still this one after that, go to the login page.
    var key = "pwa-sesi-dibuang";
    var tried = false;
    try { tried = sessionStorage.getItem(key) === meta.content; sessionStorage.setItem(key, meta.content); }
    catch (e) { /* storage blocked: go to the login page */ tried = true; }
    if (tried) location.replace(meta.dataset.login); else location.reload();
  };
  var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (!worker) { again(); return; }
  var timer = setTimeout(again, 1500);
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.type === "dropped") { clearTimeout(timer); again(); }
  });
  worker.postMessage({ type: "logout" });
})();
