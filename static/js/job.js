// Refreshes a job page until the job is finished; no library needed.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "1") return;
  var bar = box.querySelector(".progress-bar");
  var wrap = box.querySelector(".progress");
  var statusEl = document.getElementById("job-status");
  var errorEl = document.getElementById("job-error");
  var link = document.getElementById("job-download");
  var pending = document.getElementById("job-tertunda");
  var retry = document.getElementById("job-retry");
  var delay = 1000;
  // The poll is a POST: besides reading the state it lets the server record a
  // stuck job failed and send one the broker missed (a GET never writes).
  var token = retry.querySelector("[name=csrfmiddlewaretoken]").value;

  function poll() {
    fetch(box.dataset.statusUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token },
    })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        bar.style.width = data.progress + "%";
        bar.textContent = data.progress + "%";
        wrap.setAttribute("aria-valuenow", data.progress);
        statusEl.textContent = data.status_label;
        if (data.error) { errorEl.textContent = data.error; errorEl.hidden = false; }
        pending.hidden = !data.tertunda;
        retry.hidden = !data.can_retry;
        if (data.download_url) { link.href = data.download_url; link.hidden = false; }
        if (data.finished) { bar.classList.remove("progress-bar-animated", "progress-bar-striped"); return; }
        delay = Math.min(delay * 1.3, 5000);
        setTimeout(poll, delay);
      })
      .catch(function () { setTimeout(poll, 5000); });  // weak connection: keep trying, slower
  }
  setTimeout(poll, delay);
})();
