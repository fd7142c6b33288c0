// Journal autosave: saves a server-side draft while the PP types (after a
// pause) and when a field is left. Every keystroke is also kept in this
// device's localStorage until the server confirms it, so an expired login,
// a dropped connection or a closed tab loses nothing.
(function () {
  "use strict";
  var form = document.getElementById("jurnal-form");
  if (!form) return;
  var url = form.dataset.autosaveUrl;
  var key = form.dataset.storageKey;
  var statusEl = document.getElementById("autosave-status");
  var versionInput = form.querySelector("input[name=version]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var fields = Array.prototype.slice.call(form.querySelectorAll("textarea"));
  var timer = null, saving = false, pending = false, stopped = false;

  function say(text, cls) {
    statusEl.textContent = text;
    statusEl.className = "autosave-status " + (cls || "text-muted");
  }
  function values() {
    var v = {};
    fields.forEach(function (f) { v[f.name] = f.value; });
    return v;
  }
  function keepLocal() {
    try {
      localStorage.setItem(key, JSON.stringify({ base: versionInput.value, values: values(), at: Date.now() }));
    } catch (e) { /* storage full or disabled: the server copy still works */ }
  }
  function clearLocal() { try { localStorage.removeItem(key); } catch (e) {} }

  function save() {
    if (stopped) return;
    if (saving) { pending = true; return; }
    saving = true;
    say("Menyimpan…");
    var body = new FormData(form);
    fetch(url, { method: "POST", body: body, credentials: "same-origin",
                 headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrf } })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) { return { status: r.status, data: data }; });
      })
      .then(function (res) {
        if (res.status === 200) {
          versionInput.value = res.data.version;
          clearLocal();
          say("tersimpan " + res.data.saved_at, "text-success");
        } else if (res.status === 401) {
          stopped = true;
          statusEl.innerHTML = "";
          say("Sesi login berakhir. Teks Anda aman di perangkat ini. ");
          var a = document.createElement("a");
          a.href = "/masuk/?next=" + encodeURIComponent(location.pathname);
          a.textContent = "Masuk lagi untuk menyimpan";
          statusEl.appendChild(a);
        } else if (res.status === 409) {
          stopped = true;
          say(res.data.message || "Jurnal diubah di tempat lain. Muat ulang halaman.", "text-danger");
        } else {
          say((res.data && res.data.message) || "Belum tersimpan. Akan dicoba lagi.", "text-danger");
          if (res.status >= 500) setTimeout(save, 10000);
        }
      })
      .catch(function () {
        say("Belum tersimpan (koneksi terputus). Teks aman di perangkat ini; dicoba lagi otomatis.", "text-warning");
        setTimeout(save, 10000);
      })
      .then(function () {
        saving = false;
        if (pending) { pending = false; save(); }
      });
  }

  fields.forEach(function (f) {
    f.addEventListener("input", function () {
      keepLocal();
      say("Belum tersimpan…");
      clearTimeout(timer);
      timer = setTimeout(save, 1500);
    });
    f.addEventListener("change", function () { clearTimeout(timer); save(); });
  });

  // Text typed here but never confirmed by the server (login expired, offline).
  try {
    var local = JSON.parse(localStorage.getItem(key) || "null");
    if (local && local.values) {
      var differs = fields.some(function (f) { return (local.values[f.name] || "") !== f.value; });
      if (differs && String(local.base) === String(versionInput.value)) {
        fields.forEach(function (f) { if (f.name in local.values) f.value = local.values[f.name]; });
        say("Memulihkan teks yang belum tersimpan…");
        save();
      } else if (differs) {
        say("Ada teks dari perangkat ini yang lebih lama dari versi server; tidak ditimpa otomatis.", "text-warning");
      } else {
        clearLocal();
      }
    }
  } catch (e) {}
  window.addEventListener("beforeunload", function (e) {
    if (timer || saving) { keepLocal(); }
  });
})();
