// What this device keeps for the PP until the server has it: journal drafts
// (every keystroke) and documentation files chosen while offline.
//
// IndexedDB, not localStorage: it is asynchronous (no stall while typing on a
// slow phone), has a far larger quota, and stores the photo files themselves
// (Blobs). Where IndexedDB cannot be opened (some private modes), drafts fall
// back to localStorage; queued files then cannot be kept and the page says so.
(function () {
  "use strict";
  var DB_NAME = "pendampingan";
  var DB_VERSION = 1;
  var opening = null;

  function open() {
    if (opening) return opening;
    opening = new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no indexedDB")); return; }
      var req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains("drafts")) db.createObjectStore("drafts", { keyPath: "key" });
        if (!db.objectStoreNames.contains("uploads")) {
          var s = db.createObjectStore("uploads", { keyPath: "id", autoIncrement: true });
          s.createIndex("owner", "owner");
        }
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
      req.onblocked = function () { reject(new Error("blocked")); };
    });
    return opening;
  }

  function run(store, mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result;
        var req = fn(tx.objectStore(store));
        if (req) req.onsuccess = function () { result = req.result; };
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function lsGet(key) {
    try { return JSON.parse(localStorage.getItem("draft:" + key) || "null"); } catch (e) { return null; }
  }
  function lsPut(record) {
    try { localStorage.setItem("draft:" + record.key, JSON.stringify(record)); } catch (e) {}
  }
  function lsDel(key) { try { localStorage.removeItem("draft:" + key); } catch (e) {} }

  // The copy written synchronously when the page is left (pagehide). An
  // IndexedDB write started by the last keystrokes may not finish before a
  // reload tears the page down; localStorage writes at once. The newer of the
  // two (by `at`) wins on load; a completed IndexedDB write retires it.
  var EXIT = "draft-exit:";
  function exitGet(key) {
    try { return JSON.parse(localStorage.getItem(EXIT + key) || "null"); } catch (e) { return null; }
  }
  function exitRetire(record) {
    var exit = exitGet(record.key);
    if (exit && (exit.at || 0) <= (record.at || 0)) {
      try { localStorage.removeItem(EXIT + record.key); } catch (e) {}
    }
  }
  function newer(a, b) {
    if (!a) return b;
    if (!b) return a;
    return (b.at || 0) > (a.at || 0) ? b : a;
  }

  window.OfflineStore = {
    getDraft: function (key) {
      return run("drafts", "readonly", function (s) { return s.get(key); })
        .then(function (r) { return r || null; }, function () { return lsGet(key); })
        .then(function (r) { return newer(r, exitGet(key)); });
    },
    putDraft: function (record) {
      return run("drafts", "readwrite", function (s) { return s.put(record); })
        .catch(function () { lsPut(record); })
        .then(function () { exitRetire(record); });
    },
    // Synchronous, for pagehide: see EXIT above.
    putDraftNow: function (record) {
      try { localStorage.setItem(EXIT + record.key, JSON.stringify(record)); } catch (e) {}
    },
    deleteDraft: function (key) {
      try { localStorage.removeItem(EXIT + key); } catch (e) {}
      return run("drafts", "readwrite", function (s) { return s.delete(key); })
        .catch(function () { lsDel(key); });
    },
    // Drafts of one login whose text the server already has.
    deleteSyncedDrafts: function (prefix) {
      try {
        for (var i = localStorage.length - 1; i >= 0; i--) {
          var k = localStorage.key(i);
          if (k && k.indexOf(EXIT + prefix) === 0 && (JSON.parse(localStorage.getItem(k)) || {}).synced) {
            localStorage.removeItem(k);
          }
        }
      } catch (e) {}
      return run("drafts", "readwrite", function (s) {
        var req = s.openCursor();
        req.onsuccess = function () {
          var cursor = req.result;
          if (!cursor) return;
          if (cursor.value.key.indexOf(prefix) === 0 && cursor.value.synced) cursor.delete();
          cursor.continue();
        };
        return null;
      }).catch(function () {});
    },
    addUpload: function (item) {
      return run("uploads", "readwrite", function (s) { return s.add(item); });
    },
    uploads: function (owner) {
      return run("uploads", "readonly", function (s) { return s.index("owner").getAll(owner); })
        .then(function (r) { return r || []; });
    },
    putUpload: function (item) {
      return run("uploads", "readwrite", function (s) { return s.put(item); });
    },
    deleteUpload: function (id) {
      return run("uploads", "readwrite", function (s) { return s.delete(id); });
    },
    // The CSRF token of the current login. A page opened from the offline
    // cache may carry the token of an earlier login; the cookie is current.
    csrfToken: function (fallback) {
      var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
      return m ? decodeURIComponent(m[1]) : fallback;
    },
    available: function () { return open().then(function () { return true; }, function () { return false; }); }
  };
})();
