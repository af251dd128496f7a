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

  // Every other action (a quiz answer, an FAQ toggle, "Start over", the try-it panel)
  // whose request never reaches the server, times out, or meets a 5xx that is not one of
  // our fragments (an empty body, a proxy's whole page, not HTML) says so at the control
  // and in #network-status. Nothing is swapped, so the control and what was typed stay;
  // the next answer that does arrive clears the message.
  const NETWORK_MESSAGE = "Could not reach the server. Check your connection and try again.";

  function userAction(ctx) {
    const source = ctx && ctx.sourceElement;
    const type = ctx && ctx.sourceEvent && ctx.sourceEvent.type;
    if (!source || isProgressForm(source)) return null;  // progress retries on its own
    return type === "submit" || type === "click" ? source : null;  // not polling
  }

  // Right after the form, or after the heading it sits in: where a <p> may go.
  function messageAnchor(source) {
    const anchor = source.closest("form") || source;
    return anchor.closest("h1, h2, h3, h4, h5, h6") || anchor;
  }

  let pendingStatus = null;

  function networkStatus(text) {
    const live = document.getElementById("network-status");
    if (!live) return;
    window.clearTimeout(pendingStatus);  // a success right after a failure wins
    live.textContent = "";  // the same words again are announced again
    if (text) pendingStatus = window.setTimeout(function () { live.textContent = text; }, 100);
  }

  function showNetworkError(ctx, source) {
    const anchor = messageAnchor(source);
    let message = anchor.nextElementSibling;
    if (!message || !message.classList.contains("network-error")) {
      message = document.createElement("p");
      message.className = "network-error";
      anchor.after(message);
    }
    message.textContent = NETWORK_MESSAGE;
    networkStatus(NETWORK_MESSAGE);
    // htmx re-enables the control after this event; focus it again if the disabled
    // button dropped the focus, so a keyboard user can simply try again.
    const again = (ctx.sourceEvent && ctx.sourceEvent.submitter) || source;
    window.setTimeout(function () {
      if (again.isConnected && document.activeElement === document.body) again.focus();
    }, 0);
  }

  function clearNetworkError(source) {
    const message = messageAnchor(source).nextElementSibling;
    if (message && message.classList.contains("network-error")) message.remove();
    if (!document.querySelector(".network-error")) networkStatus("");
  }

  function unexpected(response, text) {
    if (response.status < 500) return false;
    const type = response.headers.get("Content-Type") || "";
    const body = (text || "").trim();
    return !type.startsWith("text/html") || !body || /^(<!doctype|<html)/i.test(body);
  }

  document.addEventListener("htmx:after:request", function (event) {
    const ctx = event.detail && event.detail.ctx;
    const source = userAction(ctx);
    if (!source) return;
    if (unexpected(ctx.response, ctx.text)) {
      event.preventDefault();  // htmx then skips the swap
      showNetworkError(ctx, source);
    } else {
      clearNetworkError(source);
    }
  });

  document.addEventListener("htmx:error", function (event) {  // no response, or a timeout
    const ctx = event.detail && event.detail.ctx;
    const source = userAction(ctx);
    if (source) showNetworkError(ctx, source);
  });

  // Announcements. The page has one live region (base.html): a live region swapped in
  // already filled is usually not read, so a fragment marks what to say with
  // `data-announce` and its text is put into the page's region here.
  let pendingAnnouncement = null;
  let announcementText = "";

  function announce(text) {
    const live = document.getElementById("announcer");
    if (!live || !text) return;
    window.clearTimeout(pendingAnnouncement);
    announcementText = announcementText ? announcementText + " " + text : text;
    live.textContent = "";  // the same words again are announced again
    pendingAnnouncement = window.setTimeout(function () {
      live.textContent = announcementText;
      announcementText = "";
    }, 100);
  }

  document.addEventListener("htmx:after:settle", function (event) {
    const swapped = event.target;
    if (!swapped || !swapped.querySelectorAll) return;
    const sources = Array.from(swapped.querySelectorAll("[data-announce]"));
    if (swapped.matches("[data-announce]")) sources.unshift(swapped);
    sources.forEach(function (source) { announce(source.textContent.trim()); });
  });

  // Focus. A swap that removes the focused element would drop the focus to <body>, and a
  // keyboard user would start again from the top of the page. The focused element and
  // the ids around it are noted before the request (a disabled button loses the focus)
  // and before the swap; if it is gone afterwards and nothing took the focus (a fragment
  // may say where with `autofocus`), the focus goes into what replaced the nearest of
  // those ids: its first `tabindex="-1"` element (a heading, a notice, "✓ Read"), or its
  // first control.
  const FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden])," +
    " select:not([disabled]), textarea:not([disabled]), [tabindex]";

  function noteFocus(ctx) {
    const element = document.activeElement;
    if (!ctx || !element || element === document.body) return;
    const ids = [];
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      if (node.id) ids.push(node.id);
    }
    ctx.hyperlessonFocus = { element: element, ids: ids };
  }

  function shown(element) {
    return element.getClientRects().length > 0;
  }

  function focusTargetIn(region) {
    const marked = Array.from(region.querySelectorAll('[tabindex="-1"]')).find(shown);
    if (marked) return marked;
    const control = Array.from(region.querySelectorAll(FOCUSABLE)).find(shown);
    if (control) return control;
    if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "-1");
    return region;
  }

  function restoreFocus(ctx) {
    const noted = ctx && ctx.hyperlessonFocus;
    if (!noted || noted.element.isConnected) return;
    const active = document.activeElement;
    if (active && active !== document.body) return;  // autofocus, or the learner, moved it
    for (const id of noted.ids) {
      const region = document.getElementById(id);
      if (region) {
        focusTargetIn(region).focus();
        return;
      }
    }
  }

  document.addEventListener("htmx:config:request", function (event) {
    noteFocus(event.detail && event.detail.ctx);
  });
  document.addEventListener("htmx:before:swap", function (event) {
    noteFocus(event.detail && event.detail.ctx);
  });
  document.addEventListener("htmx:after:swap", function (event) {
    restoreFocus(event.detail && event.detail.ctx);
  });

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

  // Reading progress (README, "Reading progress"). A section counts as read only when
  // its text has been on screen for a share of its own reading time (the lesson's
  // data-reading-share times the section's data-reading-seconds) and its end is in
  // view: a jump through the contents, a preset click or a fast fling passes sections
  // by in moments and counts nothing. The section's form then gets a "read" event
  // (hx-trigger); "Mark as read" stays the explicit way. Time counts only while the
  // page is visible, and at most a second per tick, so a sleeping laptop reads nothing.
  const READING_TICK_MS = 250;

  function onScreen(element) {
    const box = element.getBoundingClientRect();
    const height = window.innerHeight;
    const shown = Math.min(box.bottom, height) - Math.max(box.top, 0);
    return shown > 0 && shown >= 0.5 * Math.min(box.height, height);  // half of it, or of the screen
  }

  function inView(element) {
    const box = element.getBoundingClientRect();
    return box.height > 0 && box.top < window.innerHeight && box.bottom > 0;
  }

  function trackReading() {
    const lesson = document.querySelector("[data-reading-share]");
    if (!lesson) return;
    const share = Number(lesson.dataset.readingShare);
    const sections = Array.from(lesson.querySelectorAll("[data-reading-seconds]")).map(
      function (section) {
        return { element: section, seenMs: 0,
                 neededMs: share * Number(section.dataset.readingSeconds) * 1000 };
      });
    let last = performance.now();
    window.setInterval(function () {
      const now = performance.now();
      const elapsed = Math.min(now - last, 1000);
      last = now;
      if (document.hidden) return;
      sections.forEach(function (section) {
        const form = section.element.querySelector(".mark-read form");
        if (!form || form.dataset.read) return;  // already read, or on its way
        if (onScreen(section.element)) section.seenMs += elapsed;
        const end = section.element.querySelector(".mark-read");
        if (section.seenMs >= section.neededMs && inView(end)) {
          form.dataset.read = "sent";
          htmx.trigger(form, "read");
        }
      });
    }, READING_TICK_MS);
  }

  // Smooth scrolling for the learner's own jumps only (app.css): not for the browser's
  // jump to the anchor a page loads at.
  function smoothFromNowOn() {
    document.documentElement.classList.add("smooth-scroll");
  }
  document.addEventListener("pointerdown", smoothFromNowOn, { capture: true, once: true });
  document.addEventListener("keydown", smoothFromNowOn, { capture: true, once: true });

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
    trackReading();
    showSyncedTime();  // the last sync the server has, in the learner's clock
  });
  document.addEventListener("htmx:after:swap", function (event) {
    enhance(event.target.isConnected ? event.target : document);
  });
})();
