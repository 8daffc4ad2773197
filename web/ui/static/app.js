// freenahi: a little progressive enhancement; every page also works without it.
(function () {
  "use strict";
  // Progress pages poll their background job and move on when it is done.
  var poll = document.querySelector("[data-poll]");
  if (poll) {
    var url = poll.getAttribute("data-poll");
    var elapsed = poll.querySelector("[data-elapsed]");
    var tick = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (elapsed) { elapsed.textContent = String(s.elapsed); }
          if (s.done) { window.location.replace(s.next); return; }
          window.setTimeout(tick, 1000);
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    };
    window.setTimeout(tick, 1000);
  }
  // On a phone the navigation folds behind a Menu button (without
  // JavaScript it stays unfolded).
  var header = document.querySelector("header.top");
  var toggle = header && header.querySelector(".menu-toggle");
  if (toggle) {
    header.classList.add("js-menu");
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Installable app: the service worker shows the offline page without a network.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  }
  // Waiting screens (a bank validating) reload themselves.
  var reload = document.querySelector("[data-reload]");
  if (reload) {
    var secs = parseInt(reload.getAttribute("data-reload"), 10) || 2;
    window.setTimeout(function () { window.location.reload(); }, secs * 1000);
  }
  // A decoupled validation: the page follows the bank app by itself (the
  // job waits for the approval); the button stays for pages without script.
  var auto = document.querySelector("form[data-autosubmit]");
  if (auto) { window.setTimeout(function () { auto.submit(); }, 500); }
  // Bank forms keep what is not secret (the login, never a password) for
  // this tab only, so that a refused password does not empty the login.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-remember]"), function (f) {
    var key = "freenahi.fields." + f.getAttribute("data-remember");
    var plain = function (i) { return i.type === "text" || i.type === "email" || i.type === "tel" || i.type === "number"; };
    var inputs = Array.prototype.filter.call(f.querySelectorAll("input[name^='f.']"), plain);
    try {
      var kept = JSON.parse(window.sessionStorage.getItem(key) || "{}");
      inputs.forEach(function (i) { if (!i.value && kept[i.name]) { i.value = kept[i.name]; } });
    } catch (e) { /* storage off: nothing kept */ }
    f.addEventListener("submit", function () {
      var keep = {};
      inputs.forEach(function (i) { if (i.value) { keep[i.name] = i.value; } });
      try { window.sessionStorage.setItem(key, JSON.stringify(keep)); } catch (e) { /* storage off */ }
    });
  });
  // "All accounts" ticks or unticks every account of the list.
  Array.prototype.forEach.call(document.querySelectorAll("input[data-select-all]"), function (all) {
    var boxes = document.querySelectorAll("input[name=" + all.getAttribute("data-select-all") + "]");
    var sync = function () {
      var on = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      all.checked = on === boxes.length;
      all.indeterminate = on > 0 && on < boxes.length;
    };
    all.closest(".check").hidden = false;
    all.addEventListener("change", function () {
      Array.prototype.forEach.call(boxes, function (b) { b.checked = all.checked; });
      sync();
    });
    Array.prototype.forEach.call(boxes, function (b) { b.addEventListener("change", sync); });
    sync();
  });
  // Copy buttons copy the text of the field they name.
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (btn) {
    var field = document.getElementById(btn.getAttribute("data-copy"));
    if (!field) { return; }
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var done = function () { btn.textContent = btn.getAttribute("data-copied"); };
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { if (document.execCommand("copy")) { done(); } });
      } else if (document.execCommand("copy")) { done(); }
    });
  });
  // Charts: a tap (or a focus) on a period shows its date and amount
  // below the chart, where hovering shows the same title.
  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (fig) {
    var out = fig.querySelector(".readout");
    var on = null;
    var show = function (e) {
      var t = e.target;
      if (!t.classList || !t.classList.contains("hit")) { return; }
      if (on) { on.classList.remove("on"); }
      on = t;
      t.classList.add("on");
      var title = t.querySelector("title");
      if (out && title) { out.textContent = title.textContent; }
    };
    fig.addEventListener("click", show);
    fig.addEventListener("mouseover", show);
  });
  // Scripts have run: tests wait for this before typing into forms.
  document.documentElement.setAttribute("data-js", "ready");
})();
