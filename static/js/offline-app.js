// On every page: registers the service worker (static/js/sw.js, served at
// /sw.js), tells it who is logged in so that it keeps pages per user, asks it
// to keep the journal pages of the PP's open sessions listed on this page, and
// clears this user's offline copies on logout.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !("serviceWorker" in navigator)) return;
  // A kept page of a login that is gone (sesi-guard.js): it is being dropped.
  if (document.documentElement.dataset.sesiDibuang) return;
  var user = me.dataset.user || "";
  var swUrl = me.dataset.sw;
  var logoutPath = me.dataset.logout;

  // Session cells of the PP's grid whose session exists and is still open.
  function journalsToKeep() {
    var cells = document.querySelectorAll(
      '.pi-cell[data-keadaan="terjadwal"], .pi-cell[data-keadaan="draf"]'
    );
    return Array.prototype.map.call(cells, function (a) { return a.href; });
  }

  navigator.serviceWorker.register(swUrl, { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (registration.active) {
      registration.active.postMessage({ type: "user", user: user, prefetch: journalsToKeep() });
    }
  }).catch(function () { /* no service worker: the app works online as before */ });

  // Pages report back once the worker has taken the user and the prefetch.
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.type === "ready") document.documentElement.dataset.offlineReady = "1";
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.action || new URL(form.action, location.href).pathname !== logoutPath) return;
    if (form.dataset.cleared) return;
    event.preventDefault();
    form.dataset.cleared = "1";
    var done = function () { form.submit(); };
    var work = [];
    if (navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "logout" });
    }
    // Drafts the server already has need not stay on a shared phone; unsent
    // text stays, to be sent after the next login.
    if (window.OfflineStore && user) work.push(window.OfflineStore.deleteSyncedDrafts("u" + user + ":"));
    Promise.race([
      Promise.all(work),
      new Promise(function (resolve) { setTimeout(resolve, 1500); })
    ]).then(done, done);
  });
})();
