// Hyperlesson's small behaviours that htmx does not cover. No inline script anywhere:
// the Content-Security-Policy allows only files from this server.
"use strict";

(function () {
  const RETRY_DELAYS_MS = [2000, 5000, 10000, 30000];

  function isProgressForm(element) {
    return element && element.matches && element.matches(".mark-read form");
  }

  function syncStatus() {
    return document.getElementById("sync-status");
  }

  // "Synced 10:42" in the learner's own clock; the server sends an ISO time.
  function showSyncedTime() {
    const status = syncStatus();
    const iso = status && status.dataset.syncedAt;
    if (!iso) return;
    const time = new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    status.textContent = "Synced " + time;
    status.classList.remove("is-failing");
  }

  function showNotSynced() {
    const status = syncStatus();
    if (!status) return;
    status.textContent = "Not synced — retrying";
    status.classList.add("is-failing");
  }

  // A section reached while the server was unreachable is sent again, with back-off,
  // until it is stored; the learner sees that it is pending, never silence.
  function scheduleRetry(form) {
    const attempt = Number(form.dataset.retries || 0);
    form.dataset.retries = String(attempt + 1);
    const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
    window.setTimeout(function () {
      if (form.isConnected) htmx.trigger(form, "retry");
    }, delay);
  }

  document.addEventListener("htmx:after:request", function (event) {
    const ctx = event.detail && event.detail.ctx;
    const form = ctx && ctx.sourceElement;
    if (!isProgressForm(form)) return;
    const status = ctx.response && ctx.response.status;
    if (!status || status >= 500) {
      showNotSynced();
      scheduleRetry(form);
    }
  });

  document.addEventListener("htmx:error", function (event) {
    const ctx = event.detail && event.detail.ctx;
    const form = ctx && ctx.sourceElement;
    if (isProgressForm(form) && !(ctx.response && ctx.response.status < 500)) {
      showNotSynced();
      scheduleRetry(form);
    }
  });

  document.addEventListener("htmx:after:swap", showSyncedTime);

  // Try-it panel: copy buttons and "Add a header" only exist with JavaScript, so they
  // start hidden in the HTML and are revealed here.
  function enhance(root) {
    root.querySelectorAll(".copy-button, .add-header").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    const copy = event.target.closest(".copy-button");
    if (copy) {
      const source = document.getElementById(copy.dataset.copy);
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.textContent).then(function () {
          copy.textContent = "Copied";
          window.setTimeout(function () { copy.textContent = "Copy"; }, 2000);
        }, function () { copy.textContent = "Select and copy"; });
      }
      return;
    }
    const add = event.target.closest(".add-header");
    if (add) {
      const rows = add.closest("fieldset").querySelector(".header-rows");
      const last = rows.lastElementChild;
      const row = last.cloneNode(true);
      const number = rows.children.length + 1;
      row.querySelectorAll("input").forEach(function (input) {
        input.value = "";
        input.setAttribute("aria-label", "Header " + number + " " +
          (input.name === "header_name" ? "name" : "value"));
      });
      rows.appendChild(row);
      row.querySelector("input").focus();
    }
  });

  // On a phone the contents would fill the first screen: fold them, one tap away.
  function foldContentsOnNarrowScreens() {
    const contents = document.querySelector(".toc-details");
    if (contents && window.matchMedia("(max-width: 59.99rem)").matches) {
      contents.open = false;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    foldContentsOnNarrowScreens();
  });
  document.addEventListener("htmx:after:swap", function (event) {
    enhance(event.target.isConnected ? event.target : document);
  });
})();
