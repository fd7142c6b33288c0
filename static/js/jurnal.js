// Journal autosave, offline first.
//
// Every keystroke is kept on this device (IndexedDB, see offline-store.js)
// before anything is sent, and a draft is saved to the server after a pause
// and when a field is left. Without a connection the page says so and keeps
// working; the text is sent when the connection returns (the "online" event,
// and retries with growing pauses).
//
// Each save carries this tab's client id, a sequence number that grows with
// every edit, and the server version the text is based on. The server applies
// a save once: a retried or replayed request is acknowledged without writing,
// so a weak link never duplicates text or brings back older text. A save based
// on a version another tab or device has since changed is refused (409) and
// the page shows both versions.
(function () {
  "use strict";
  var form = document.getElementById("jurnal-form");
  if (!form || !window.OfflineStore) return;
  var store = window.OfflineStore;
  var T = document.getElementById("jurnal-teks").dataset;
  var url = form.dataset.autosaveUrl;
  var key = form.dataset.storageKey;
  var statusEl = document.getElementById("autosave-status");
  var conflictEl = document.getElementById("jurnal-konflik");
  var versionInput = form.querySelector("input[name=version]");
  var csrfInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var fields = Array.prototype.slice.call(form.querySelectorAll("textarea"));
  var clientId = tabClientId();
  var state = { base: toInt(versionInput.value), seq: 0, synced: true, values: values() };
  var timer = null, retryTimer = null, backoff = 0;
  var saving = false, pending = false, stopped = false, ready = false;

  function toInt(v) { var n = parseInt(v, 10); return isNaN(n) ? 0 : n; }

  function randomId() {
    if (window.crypto && crypto.getRandomValues) {
      var bytes = new Uint8Array(16);
      crypto.getRandomValues(bytes);
      return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    }
    return String(Date.now()) + String(Math.random()).slice(2);
  }

  // One id per browser tab, kept across reloads of that tab (also an offline
  // reload served by the service worker), so its sequence numbers go on.
  function tabClientId() {
    var id = null;
    try { id = sessionStorage.getItem("pendampingan-client"); } catch (e) {}
    if (!id) {
      id = randomId();
      try { sessionStorage.setItem("pendampingan-client", id); } catch (e) {}
    }
    return id;
  }
  var memorySeq = 0;
  function nextSeq() {
    var n = memorySeq;
    try { n = Math.max(n, toInt(sessionStorage.getItem("pendampingan-seq"))); } catch (e) {}
    n += 1;
    memorySeq = n;
    try { sessionStorage.setItem("pendampingan-seq", String(n)); } catch (e) {}
    return n;
  }

  function say(text, cls) {
    statusEl.textContent = text;
    statusEl.className = "autosave-status " + (cls || "text-muted");
  }
  function sayOffline() { say(T.offline, "text-warning"); }
  function values() {
    var v = {};
    fields.forEach(function (f) { v[f.name] = f.value; });
    return v;
  }
  function fill(v) {
    fields.forEach(function (f) { if (f.name in v) f.value = v[f.name]; });
  }
  function differs(v) {
    return fields.some(function (f) { return (v[f.name] || "") !== f.value; });
  }
  function record() {
    return {
      key: key, base: state.base, seq: state.seq, synced: state.synced,
      values: state.values, clientId: clientId, at: Date.now()
    };
  }
  function keep() { return store.putDraft(record()); }
  // Reload or navigation: the last keystrokes' IndexedDB writes may still be
  // pending, so leave a synchronous copy behind (offline-store.js, EXIT).
  window.addEventListener("pagehide", function () { if (ready) store.putDraftNow(record()); });

  function retryLater() {
    backoff = Math.min(backoff ? backoff * 2 : 2000, 60000);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(function () { save(); }, backoff);
  }

  // `confirm`: send even if nothing changed since the last save (when a field
  // is left), so the PP sees the server still has exactly this text.
  function save(confirm) {
    if (stopped || !ready || !state.seq || (state.synced && confirm !== true)) return;
    if (saving) { pending = true; return; }
    if (!navigator.onLine) { sayOffline(); return; } // the "online" event resumes
    saving = true;
    clearTimeout(retryTimer);
    var sent = state.seq;
    say(T.saving);
    var csrf = store.csrfToken(csrfInput.value);
    var body = new FormData(form);
    body.set("csrfmiddlewaretoken", csrf);
    body.set("version", String(state.base));
    body.set("client_id", clientId);
    body.set("seq", String(sent));
    fetch(url, { method: "POST", body: body, credentials: "same-origin",
                 headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrf } })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) { return { status: r.status, data: data }; });
      })
      .then(function (res) {
        var data = res.data || {};
        if (res.status === 200) {
          backoff = 0;
          state.base = Math.max(state.base, toInt(data.version));
          versionInput.value = String(state.base);
          if (state.seq === sent) {
            state.synced = true;
            say(T.saved.replace("{jam}", data.saved_at || ""), "text-success");
          } else {
            pending = true; // typed more while this save was on its way
          }
          keep();
        } else if (res.status === 401) {
          stopped = true;
          say(T.login + " ");
          var a = document.createElement("a");
          a.href = form.dataset.loginUrl + "?next=" + encodeURIComponent(location.pathname);
          a.textContent = T.loginLink;
          statusEl.appendChild(a);
        } else if (res.status === 409) {
          stopped = true;
          say(data.message || T.conflict, "text-danger");
          showConflict(data);
        } else if (res.status === 400) {
          say(data.message || T.retry, "text-danger");
        } else {
          say(data.message || T.retry, "text-danger");
          retryLater();
        }
      })
      .catch(function () {
        sayOffline();
        retryLater();
      })
      .then(function () {
        saving = false;
        if (pending) { pending = false; save(); }
      });
  }

  function labelOf(field) {
    var label = form.querySelector('label[for="' + field.id + '"]');
    return label ? label.textContent : field.name;
  }

  // Both versions side by side; the PP chooses which one stays.
  function showConflict(data) {
    var current = data.current || {};
    conflictEl.textContent = "";
    var h = document.createElement("p");
    h.className = "fw-semibold mb-2";
    h.textContent = T.conflictTitle;
    conflictEl.appendChild(h);
    fields.forEach(function (f) {
      var theirs = current[f.name] || "";
      if (theirs === f.value) return;
      var box = document.createElement("div");
      box.className = "mb-2 konflik-baris";
      var title = document.createElement("div");
      title.className = "small fw-semibold";
      title.textContent = labelOf(f);
      box.appendChild(title);
      [[T.theirs, theirs, "konflik-server"], [T.mine, f.value, "konflik-saya"]].forEach(function (row) {
        var label = document.createElement("div");
        label.className = "small text-muted";
        label.textContent = row[0];
        var text = document.createElement("div");
        text.className = "border rounded p-1 bg-white " + row[2];
        text.style.whiteSpace = "pre-wrap";
        text.textContent = row[1];
        box.appendChild(label);
        box.appendChild(text);
      });
      conflictEl.appendChild(box);
    });
    var mine = document.createElement("button");
    mine.type = "button";
    mine.className = "btn btn-sm btn-danger me-2";
    mine.textContent = T.useMine;
    mine.addEventListener("click", function () {
      state.base = toInt(data.version);
      state.seq = nextSeq();
      state.synced = false;
      stopped = false;
      conflictEl.hidden = true;
      keep().then(function () { save(); });
    });
    var theirs = document.createElement("button");
    theirs.type = "button";
    theirs.className = "btn btn-sm btn-outline-secondary";
    theirs.textContent = T.useTheirs;
    theirs.addEventListener("click", function () {
      fill(current);
      state.values = values();
      state.base = toInt(data.version);
      versionInput.value = String(state.base);
      state.synced = true;
      stopped = false;
      conflictEl.hidden = true;
      say(T.tookTheirs, "text-muted");
      keep();
    });
    conflictEl.appendChild(mine);
    conflictEl.appendChild(theirs);
    conflictEl.hidden = false;
  }

  fields.forEach(function (f) {
    f.addEventListener("input", function () {
      state.values = values();
      state.seq = nextSeq();
      state.synced = false;
      keep();
      if (navigator.onLine) say(T.unsaved); else sayOffline();
      clearTimeout(timer);
      timer = setTimeout(function () { save(); }, 1500);
    });
    f.addEventListener("change", function () { clearTimeout(timer); save(true); });
  });

  // Posting the form needs the server; offline, the text is safe here instead.
  form.addEventListener("submit", function (event) {
    if (!navigator.onLine) {
      event.preventDefault();
      say(T.offlineSubmit, "text-warning");
    }
  });

  window.addEventListener("online", function () {
    backoff = 0;
    if (!state.synced && !stopped) save();
  });
  window.addEventListener("offline", function () { sayOffline(); });

  // What this device holds for the journal: newer than this page when the
  // page came from the offline cache, or text never confirmed by the server.
  function legacyDraft() {
    // Drafts of the earlier localStorage version of this page.
    try {
      var old = JSON.parse(localStorage.getItem(form.dataset.legacyKey) || "null");
      localStorage.removeItem(form.dataset.legacyKey);
      if (old && old.values) return { base: toInt(old.base), values: old.values, synced: false };
    } catch (e) {}
    return null;
  }

  // Text typed on this PI's page before its session existed is kept under the
  // PI's own key (data-pi-key): it is taken over here, then kept under the
  // session's key, and the PI's copy is dropped.
  var adopted = null;
  function piDraft() {
    var piKey = form.dataset.piKey;
    if (!piKey) return null;
    return store.getDraft(piKey).then(function (rec) {
      if (rec) adopted = piKey;
      return rec;
    }, function () { return null; });
  }

  store.getDraft(key).then(function (rec) {
    return rec || piDraft();
  }).then(function (rec) {
    rec = rec || legacyDraft();
    var page = toInt(versionInput.value);
    if (rec && rec.values) {
      var changed = differs(rec.values);
      if (rec.synced) {
        if (rec.base > page && changed) {
          fill(rec.values); // this page is an older copy from the offline cache
          state.base = rec.base;
        } else if (!changed) {
          state.base = Math.max(rec.base, page);
        }
      } else if (changed) {
        // Sent based on the version it was typed on; the server tells
        // whether that is only behind this tab's own saves or a conflict.
        fill(rec.values);
        state.base = rec.base;
        state.seq = nextSeq();
        state.synced = false;
        say(navigator.onLine ? T.restoring : T.offline, navigator.onLine ? "text-muted" : "text-warning");
      } else {
        state.base = Math.max(rec.base, page);
      }
      versionInput.value = String(state.base);
      state.values = values();
    }
    if (!navigator.onLine) sayOffline();
    ready = true;
    return keep().then(function () { if (adopted) return store.deleteDraft(adopted); });
  }, function () { ready = true; }).then(function () {
    form.dataset.offlineReady = "1";
    if (!state.synced) save();
  });
})();
