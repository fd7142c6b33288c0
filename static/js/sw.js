// Service worker: lets a PP open the app and write journals offline.
// Served at /sw.js by program/views_pwa.py, which defines CONFIG above this
// line (shell URLs, the pages kept offline, a build version).
//
// * App shell (CSS/JS/icons): cache-first, refreshed when the build changes.
// * Pages: network-first; the PP's grid and session pages are also kept in a
//   cache of their own user ("pages-<user>"), and served from it when the
//   network fails. Other pages are never cached.
// * A cache of pages belongs to one login: it is dropped on logout and when
//   another user (or nobody) is logged in on this device.
/* global CONFIG */
"use strict";

var SHELL_CACHE = "shell-" + CONFIG.version;
var META_CACHE = "meta";
var USER_KEY = "/__pwa/user";
var PAGES_PREFIX = "pages-";
var shellPaths = CONFIG.shell.map(function (u) { return new URL(u, self.location.origin).pathname; });
var patterns = CONFIG.pagePatterns.map(function (p) { return new RegExp(p); });
var currentUser = null; // cached copy of what META_CACHE holds

function getUser() {
  if (currentUser !== null) return Promise.resolve(currentUser);
  return caches.open(META_CACHE)
    .then(function (cache) { return cache.match(USER_KEY); })
    .then(function (r) { return r ? r.text() : ""; })
    .then(function (user) { currentUser = user; return user; });
}

function dropPages(keep) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf(PAGES_PREFIX) === 0 && n !== keep;
    }).map(function (n) { return caches.delete(n); }));
  });
}

function setUser(user) {
  user = user || "";
  currentUser = user;
  return dropPages(user ? PAGES_PREFIX + user : null).then(function () {
    return caches.open(META_CACHE);
  }).then(function (cache) {
    return cache.put(USER_KEY, new Response(user));
  });
}

function cacheable(url) {
  var u = new URL(url);
  if (u.origin !== self.location.origin || u.search) return false;
  return patterns.some(function (re) { return re.test(u.pathname); });
}

// Keep a page for offline use, only if it is a real page of this user (not a
// redirect to the login page, not an error).
function keepPage(request, response) {
  if (!response.ok || response.redirected || !cacheable(response.url || request.url)) {
    return Promise.resolve();
  }
  var type = response.headers.get("Content-Type") || "";
  if (type.indexOf("text/html") !== 0) return Promise.resolve();
  return getUser().then(function (user) {
    if (!user) return;
    return caches.open(PAGES_PREFIX + user).then(function (cache) {
      return cache.put(request.url, response);
    });
  });
}

function offlinePage() {
  var esc = function (s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  };
  var css = CONFIG.shell[0];
  var html = '<!doctype html><html lang="id"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>" + esc(CONFIG.offlineTitle) + "</title>" +
    '<link rel="stylesheet" href="' + esc(css) + '"></head><body><main class="container py-4">' +
    '<h1 class="h4">' + esc(CONFIG.offlineTitle) + "</h1>" +
    "<p>" + esc(CONFIG.offlineText) + "</p>" +
    '<p><a href="' + esc(CONFIG.offlineLink) + '">' + esc(CONFIG.offlineLinkText) + "</a></p>" +
    "</main></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// A kept page, marked as such (the header tells tests and proxies apart from
// a page the server has just sent).
function fromDevice(response) {
  var headers = new Headers(response.headers);
  headers.set("X-Offline-Cache", "1");
  // The body below is already decoded: it is no longer gzip, nor that long.
  headers.delete("Content-Encoding");
  headers.delete("Content-Length");
  return response.blob().then(function (body) {
    return new Response(body, { status: response.status, statusText: response.statusText, headers: headers });
  });
}

function networkFirst(request) {
  return fetch(request).then(function (response) {
    return keepPage(request, response.clone()).then(function () { return response; },
                                                     function () { return response; });
  }).catch(function () {
    return getUser().then(function (user) {
      if (!user) return offlinePage();
      return caches.open(PAGES_PREFIX + user).then(function (cache) {
        return cache.match(request.url, { ignoreVary: true });
      }).then(function (hit) { return hit ? fromDevice(hit) : offlinePage(); });
    });
  });
}

function shellFirst(request) {
  return caches.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (hit) {
    if (hit) return hit;
    return fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(SHELL_CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

// Other static files (a page's own script, images): fresh from the network,
// the last copy when offline.
function staticNetworkFirst(request) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(SHELL_CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, { ignoreSearch: true, ignoreVary: true }).then(function (hit) {
      return hit || Response.error();
    });
  });
}

// Fetch each page with the user's cookies and keep it (the grid asks for the
// journals of the PP's open sessions, so they open offline later).
function prefetch(urls) {
  return Promise.all((urls || []).filter(cacheable).map(function (url) {
    var request = new Request(url, { credentials: "same-origin" });
    return fetch(request).then(function (response) {
      return keepPage(request, response);
    }).catch(function () { /* offline: try again on the next visit */ });
  }));
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return cache.addAll(CONFIG.shell);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("shell-") === 0 && n !== SHELL_CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "user") {
    event.waitUntil(getUser().then(function (previous) {
      return previous === (data.user || "") ? null : setUser(data.user);
    }).then(function () {
      return data.user ? prefetch(data.prefetch) : null;
    }).then(function () {
      if (event.source) event.source.postMessage({ type: "ready", user: data.user || "" });
    }));
  } else if (data.type === "logout") {
    // Logging out, or a kept page found its login gone (sesi-guard.js).
    event.waitUntil(setUser("").then(function () {
      if (event.source) event.source.postMessage({ type: "dropped" });
    }));
  }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === CONFIG.logoutPath) {
    // Logging out: this device must no longer open that user's pages.
    event.waitUntil(setUser(""));
    return;
  }
  if (request.method !== "GET") return;
  if (shellPaths.indexOf(url.pathname) !== -1) {
    event.respondWith(shellFirst(request));
  } else if (url.pathname.indexOf(CONFIG.staticPrefix) === 0) {
    event.respondWith(staticNetworkFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(request));
  }
});
