// Documentation photos chosen while offline: the file is kept on this device
// (IndexedDB) and uploaded, with the page's CSRF token, once the connection
// returns. Online, the form posts as it always did (and without JavaScript).
(function () {
  "use strict";
  var box = document.getElementById("dokumentasi-antrian");
  var section = document.getElementById("dokumentasi");
  if (!box || !section || !window.OfflineStore) return;
  var form = section.querySelector("form[enctype='multipart/form-data']");
  if (!form) return;
  var store = window.OfflineStore;
  var T = box.dataset;
  var owner = box.dataset.owner;
  var list = box.querySelector("ul");
  var statusEl = document.getElementById("dokumentasi-antrian-status");
  var busy = false;

  function csrf() { return store.csrfToken(form.querySelector("input[name=csrfmiddlewaretoken]").value); }
  function size(bytes) {
    return bytes > 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function render() {
    return store.uploads(owner).then(function (items) {
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "list-group-item d-flex justify-content-between align-items-center gap-2 px-0";
        var text = document.createElement("span");
        text.textContent = item.name + " (" + size(item.file.size) + ")" + (item.error ? " — " + T.failed : "");
        if (item.error) text.className = "text-danger";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn-sm btn-link text-danger p-0";
        remove.textContent = T.remove;
        remove.addEventListener("click", function () { store.deleteUpload(item.id).then(render); });
        li.appendChild(text);
        li.appendChild(remove);
        list.appendChild(li);
      });
      box.hidden = items.length === 0;
      return items;
    }, function () { box.hidden = true; return []; });
  }

  // The new thumbnails, from a fresh copy of this page.
  function refreshThumbnails() {
    return fetch(location.pathname, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (!html) return;
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.querySelector("#dokumentasi .row");
      var here = section.querySelector(".row");
      if (fresh && here) here.replaceWith(document.importNode(fresh, true));
    }).catch(function () {});
  }

  function uploadOne(item) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf());
    body.append("berkas", item.file, item.name);
    body.append("jenis", item.jenis);
    body.append("keterangan", item.keterangan);
    return fetch(item.url, { method: "POST", body: body, credentials: "same-origin",
                             headers: { "X-CSRFToken": csrf() } }).then(function (r) {
      // Success redirects back to the session page; a refused file is a 400
      // page; an expired login redirects to the login page (keep the file).
      if (r.ok && r.redirected && r.url.indexOf(T.loginPath || "/masuk/") === -1) {
        return store.deleteUpload(item.id).then(function () { return true; });
      }
      if (r.status === 400) {
        item.error = true;
        return store.putUpload(item).then(function () { return false; });
      }
      return false;
    });
  }

  function flush() {
    if (busy || !navigator.onLine) return Promise.resolve();
    busy = true;
    return store.uploads(owner).then(function (items) {
      var todo = items.filter(function (i) { return !i.error; });
      if (!todo.length) return false;
      statusEl.textContent = T.uploading;
      var sent = 0;
      return todo.reduce(function (chain, item) {
        return chain.then(function () {
          return uploadOne(item).then(function (ok) { if (ok) sent += 1; });
        });
      }, Promise.resolve()).then(function () { return sent > 0; });
    }).then(function (uploaded) {
      if (uploaded) {
        statusEl.textContent = T.done;
        return refreshThumbnails();
      }
      statusEl.textContent = "";
    }).catch(function () {
      statusEl.textContent = T.queued; // the link dropped again; next "online" retries
    }).then(function () {
      busy = false;
      return render();
    });
  }

  form.addEventListener("submit", function (event) {
    if (navigator.onLine) return; // the normal upload
    event.preventDefault();
    var input = form.querySelector("input[type=file]");
    var file = input && input.files && input.files[0];
    if (!file) return;
    var jenis = form.querySelector("[name=jenis]");
    var keterangan = form.querySelector("[name=keterangan]");
    store.addUpload({
      owner: owner,
      url: form.action,
      file: file,
      name: file.name,
      jenis: jenis ? jenis.value : "",
      keterangan: keterangan ? keterangan.value : "",
      at: Date.now()
    }).then(function () {
      form.reset();
      statusEl.textContent = T.queued;
      return render();
    }, function () {
      statusEl.textContent = T.unsupported;
      box.hidden = false;
    });
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", function () {
    if (!box.hidden) statusEl.textContent = T.queued;
  });
  render().then(flush);
})();
