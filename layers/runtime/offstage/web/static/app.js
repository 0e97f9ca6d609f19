/* offstage page script: check-in, reload, flash messages, and the globals interview JavaScript expects.
   Written for offstage; no third-party code. Forms are submitted by the browser (plain POST). */
(function () {
  "use strict";

  // Loaded in <head> so that interview scripts in the body can call flash(), val() and $ right away;
  // the page's data island is read once the document is parsed (see start()).
  var page = {};
  // The response's CSP nonce, read while this script runs: scripts the page adds later carry it.
  var NONCE = (document.currentScript && document.currentScript.nonce) || "";
  var CHECKIN_INTERVAL_MS = 6000;
  var CONFLICT_RETRY_MS = [250, 500, 1000, 2000, 4000];
  var FAST_DELAYS_MS = [500, 500, 750, 1000, 1500, 2000];
  var checkinCode = String(Math.random());

  /* ---- a tiny jQuery-compatible helper: only the handful of methods interview JavaScript uses ---- */
  function Wrapped(nodes) {
    this.length = nodes.length;
    for (var i = 0; i < nodes.length; i++) { this[i] = nodes[i]; }
  }
  function toNodes(selector, context) {
    if (!selector) { return []; }
    if (typeof selector === "string") {
      var trimmed = selector.trim();
      if (trimmed.charAt(0) === "<") {
        var holder = document.createElement("div");
        holder.innerHTML = trimmed;
        return Array.prototype.slice.call(holder.childNodes);
      }
      return Array.prototype.slice.call((context || document).querySelectorAll(selector));
    }
    if (selector instanceof Wrapped) { return Array.prototype.slice.call(selector); }
    if (selector.nodeType || selector === window) { return [selector]; }
    if (typeof selector.length === "number") { return Array.prototype.slice.call(selector); }
    return [];
  }
  function $(selector, context) {
    if (typeof selector === "function") { onReady(selector); return new Wrapped([document]); }
    return new Wrapped(toNodes(selector, context));
  }
  function onReady(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { fn($); });
    } else { setTimeout(function () { fn($); }, 0); }
  }
  function insertContent(node, content, append) {
    if (content instanceof Wrapped || (content && content.nodeType)) {
      toNodes(content).forEach(function (child) { if (append) { node.appendChild(child); } else { node.insertBefore(child, node.firstChild); } });
    } else {
      node.insertAdjacentHTML(append ? "beforeend" : "afterbegin", String(content));
    }
  }
  Wrapped.prototype = {
    each: function (fn) { for (var i = 0; i < this.length; i++) { fn.call(this[i], i, this[i]); } return this; },
    get: function (i) { return i === undefined ? Array.prototype.slice.call(this) : this[i]; },
    find: function (selector) {
      var found = [];
      this.each(function () { found = found.concat(toNodes(selector, this)); });
      return new Wrapped(found);
    },
    append: function (content) { return this.each(function () { insertContent(this, content, true); }); },
    prepend: function (content) { return this.each(function () { insertContent(this, content, false); }); },
    html: function (content) {
      if (content === undefined) { return this.length ? this[0].innerHTML : undefined; }
      return this.each(function () { this.innerHTML = content; });
    },
    text: function (content) {
      if (content === undefined) { var t = ""; this.each(function () { t += this.textContent; }); return t; }
      return this.each(function () { this.textContent = content; });
    },
    val: function (value) {
      if (value === undefined) { return this.length ? this[0].value : undefined; }
      return this.each(function () { this.value = value; });
    },
    attr: function (name, value) {
      if (value === undefined) { return this.length ? this[0].getAttribute(name) : undefined; }
      return this.each(function () { this.setAttribute(name, value); });
    },
    prop: function (name, value) {
      if (value === undefined) { return this.length ? this[0][name] : undefined; }
      return this.each(function () { this[name] = value; });
    },
    addClass: function (c) { return this.each(function () { this.classList.add(c); }); },
    removeClass: function (c) { return this.each(function () { this.classList.remove(c); }); },
    show: function () { return this.each(function () { this.style.display = ""; this.hidden = false; }); },
    hide: function () { return this.each(function () { this.style.display = "none"; }); },
    remove: function () { return this.each(function () { if (this.parentNode) { this.parentNode.removeChild(this); } }); },
    on: function (events, selector, handler) {
      if (typeof selector === "function") { handler = selector; selector = null; }
      var self = this;
      events.split(/\s+/).forEach(function (name) {
        self.each(function () {
          this.addEventListener(name, function (event) {
            var target = this;
            if (selector) {
              target = event.target && event.target.closest ? event.target.closest(selector) : null;
              if (!target) { return; }
            }
            var extra = event.detail && Array.isArray(event.detail) ? event.detail : [];
            return handler.apply(target, [event].concat(extra));
          });
        });
      });
      return this;
    },
    trigger: function (name, args) {
      return this.each(function () {
        if (name === "click" && typeof this.click === "function") { this.click(); return; }
        this.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: args || [] }));
      });
    },
    click: function (handler) { return handler ? this.on("click", handler) : this.trigger("click"); },
    ready: function (fn) { onReady(fn); return this; },
    closest: function (selector) {
      var found = [];
      this.each(function () { var c = this.closest(selector); if (c) { found.push(c); } });
      return new Wrapped(found);
    }
  };
  $.fn = Wrapped.prototype;
  $.active = 0; // pending requests; test tools wait for 0
  window.jQuery = window.$ = $;

  function request(url, body) {
    $.active += 1;
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data };
      });
    }).finally(function () { $.active -= 1; });
  }

  /* ---- globals docassemble interviews call ---- */
  function flash(message, priority, clear, carry) {
    var area = document.getElementById("daflash");
    if (!area) { return; }
    if (clear) { area.innerHTML = ""; }
    var box = document.createElement("div");
    box.className = "da-flash da-flash-" + (priority || "info");
    if (carry) { box.setAttribute("data-da-carry", "1"); } // a check-in's message: kept over the next refresh
    box.setAttribute("role", "status");
    box.innerHTML = '<div class="da-flash-text"></div><button type="button" class="da-flash-close" aria-label="Dismiss">&times;</button>';
    box.firstChild.innerHTML = message;
    area.appendChild(box);
  }
  window.flash = flash;

  // A message the page itself writes from text (a refused check-in): never parsed as HTML.
  function flashText(text, priority, id) {
    var area = document.getElementById("daflash");
    if (!area) { return; }
    var previous = id ? document.getElementById(id) : null;
    if (previous) { previous.remove(); }
    flash("", priority);
    var box = area.lastChild;
    if (id) { box.id = id; }
    box.firstChild.textContent = text;
  }

  // Interview JavaScript sent by a check-in or a task (`background_response(..., 'javascript')`): run as
  // a script element carrying the page's nonce, so the page needs no eval under its CSP.
  function runScript(code) {
    var script = document.createElement("script");
    if (NONCE) { script.nonce = NONCE; }
    script.textContent = String(code);
    document.body.appendChild(script);
    script.remove();
  }

  function controlsNamed(name) {
    return Array.prototype.filter.call(document.querySelectorAll("#daMainQuestion [name]"), function (el) {
      return el.name === name;
    });
  }
  function val(name) {
    var controls = controlsNamed(name);
    if (!controls.length) { return null; }
    var first = controls[controls.length - 1];
    if (first.type === "checkbox" && controls.length === 2 && controls[0].type === "hidden") {
      return first.checked ? first.value === "True" : first.value !== "True";
    }
    if (first.type === "radio" || first.type === "checkbox") {
      var picked = controls.filter(function (el) { return el.checked; }).map(function (el) { return el.value; });
      return first.type === "radio" ? (picked.length ? picked[0] : null) : picked;
    }
    return first.value;
  }
  window.val = val;

  /* ---- the form's values, as the raw strings the check-in action receives ---- */
  function formValues() {
    var values = {};
    var seen = {};
    document.querySelectorAll("#daMainQuestion form [name]").forEach(function (el) {
      var name = el.name;
      if (!name || name.charAt(0) === "_" || seen[name] || el.disabled) { return; }
      seen[name] = true;
      var v = val(name);
      values[name] = typeof v === "boolean" ? (v ? "True" : "False") : v;
    });
    return values;
  }

  /* ---- re-running the interview logic without answering (the `refresh` button) ---- */
  function refreshScreen() {
    var form = document.createElement("form");
    form.method = "post";
    form.action = page.url;
    [["_csrf", page.csrf], ["_button", "refresh"]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    // a check-in's messages (a task's failure) stay on the page the refresh brings, until the user moves on
    var carried = Array.prototype.map.call(document.querySelectorAll("#daflash [data-da-carry] .da-flash-text"),
      function (el) { return el.innerHTML; });
    try { sessionStorage.setItem("daFlashCarry", JSON.stringify({ url: page.url, messages: carried })); } catch (e) { /* storage off */ }
    $.active += 1; // the page is going away: keep test tools waiting until the new one loads
    form.submit();
  }
  window.daRefreshSubmit = refreshScreen;

  function setChoices(el, choices) {
    var previous = el.value;
    var placeholder = el.querySelector('option[value=""]');
    el.innerHTML = "";
    if (placeholder) { el.appendChild(placeholder); }
    if (choices && !Array.isArray(choices) && typeof choices === "object") {
      choices = Object.keys(choices).map(function (key) { return [key, choices[key]]; });
    }
    (choices || []).forEach(function (choice) {
      var value = choice, label = choice;
      if (Array.isArray(choice)) { value = choice[0]; label = choice.length > 1 ? choice[1] : choice[0]; }
      else if (choice && typeof choice === "object") {
        if ("value" in choice) { value = choice.value; label = "label" in choice ? choice.label : choice.value; }
        else { var key = Object.keys(choice)[0]; value = key; label = choice[key]; }
      }
      var option = document.createElement("option");
      option.value = value; option.textContent = label;
      el.appendChild(option);
    });
    el.value = previous;
    if (el.value !== previous) { el.value = placeholder ? "" : (el.options.length ? el.options[0].value : ""); }
  }
  function setField(name, value) {
    var controls = controlsNamed(name);
    if (value && typeof value === "object" && !Array.isArray(value)) {
      if ("choices" in value) { controls.forEach(function (el) { if (el.tagName === "SELECT") { setChoices(el, value.choices); } }); }
      if (!("value" in value)) { return; }
      value = value.value;
    }
    controls.forEach(function (el) {
      if (el.type === "hidden" && controls.length > 1) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        var wanted = Array.isArray(value) ? value.map(String) : [String(value === true ? "True" : value === false ? "False" : value)];
        el.checked = wanted.indexOf(el.value) >= 0;
      } else { el.value = value === null || value === undefined ? "" : value; }
    });
  }
  function fillTargets(value) {
    (Array.isArray(value) ? value : [value]).forEach(function (item) {
      if (!item || typeof item !== "object" || !("target" in item)) { return; }
      var name = String(item.target).replace(/[^A-Za-z0-9_]/g, "");
      document.querySelectorAll(".datarget" + name).forEach(function (el) { el.innerHTML = item.content; });
    });
  }

  function applyCommand(command) {
    var extra = command.extra;
    if (extra === "flash") { flash(command.value, "info", false, true); }
    else if (extra === "refresh") { refreshScreen(); }
    else if (extra === "javascript") { runScript(command.value); }
    else if (extra === "fields") { Object.keys(command.value || {}).forEach(function (k) { setField(k, command.value[k]); }); }
    else if (extra === "backgroundresponse") { fillTargets(command.value); }
    else { return; }
    document.dispatchEvent(new CustomEvent("daCheckIn", { detail: [command.action, command.value] }));
  }

  // A bundle being assembled in parallel: "3 of 10 documents ready", updated by each check-in, gone when done.
  // Meanwhile the check-ins stay at their fastest, so the result shows within a second of the last document.
  function showAssembly(bundles) {
    var line = document.getElementById("daAssemblyProgress");
    if (!Array.isArray(bundles) || !bundles.length) { if (line) { line.remove(); } return; }
    fastStep = 0;
    var done = 0, total = 0;
    bundles.forEach(function (b) { done += Number(b.done) || 0; total += Number(b.total) || 0; });
    var text = "Assembling your documents: " + Math.min(done, total) + " of " + total + " ready";
    if (line) { line.firstChild.textContent = text; return; }
    flashText(text, "info", "daAssemblyProgress");
  }

  /* ---- check-in: the page's `check in` action and notifications of finished background tasks ---- */
  var checkingIn = false;
  var timer = null;
  var fastStep = 0;
  var pending = 0;
  var useCheckin = false;

  function schedule() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (!useCheckin) { return; }
    var delay;
    if (pending > 0) { delay = FAST_DELAYS_MS[Math.min(fastStep, FAST_DELAYS_MS.length - 1)]; fastStep += 1; }
    else if (page.checkin) { delay = CHECKIN_INTERVAL_MS; fastStep = 0; }
    else { return; }
    timer = setTimeout(function () { checkin(null); }, delay);
  }

  var queuedChange = null; // a change that happened while a check-in was on its way: sent right after
  var conflicts = 0; // check-ins in a row that met another request's save (409): tried again soon
  var refused = false; // the server refused the check-ins (403, 404 ...): shown, and not tried again

  function retryAfterConflict(changed, initial) {
    var delay = CONFLICT_RETRY_MS[Math.min(conflicts, CONFLICT_RETRY_MS.length - 1)];
    conflicts += 1;
    timer = setTimeout(function () { timer = null; checkin(changed, initial); }, delay);
  }
  function showRefusal(data) {
    refused = true;
    var message = (data && typeof data.message === "string" && data.message) ||
      "This page can no longer reach the interview. Reload the page to continue.";
    flashText(message, "danger", "daCheckinRefused");
  }

  function checkin(changed, initial) {
    if (refused) { return; }
    if (checkingIn) { if (changed) { queuedChange = changed; } return; }
    checkingIn = true;
    var body = { action: "checkin", checkinCode: checkinCode, csrf_token: page.csrf };
    if (page.checkin) {
      var parameters = formValues();
      parameters._initial = !!initial;
      parameters._changed = changed;
      body.do_action = page.checkin;
      body.parameters = parameters;
    }
    request(page.checkinUrl, body).then(function (reply) {
      var data = reply.data || {};
      if (data.action === "reload") { window.location.reload(); return; }
      if (reply.status === 409 && conflicts < CONFLICT_RETRY_MS.length) {
        retryAfterConflict(changed, initial);
        return;
      }
      if (reply.status >= 400 && reply.status < 500) { showRefusal(data); return; }
      if (!reply.ok || String(data.checkin_code) !== checkinCode) { return; }
      conflicts = 0;
      var before = pending;
      pending = data.pending_tasks || 0;
      showAssembly(data.assembly);
      (data.commands || []).forEach(applyCommand);
      if (before > 0 && pending === 0) { pending = 0; timer = setTimeout(function () { checkin(null); }, 500); return; }
    }).catch(function () { /* the next tick tries again */ }).finally(function () {
      checkingIn = false;
      if (queuedChange) { var again = queuedChange; queuedChange = null; checkin(again); return; }
      if (!timer) { schedule(); }
    });
    timer = null;
  }
  window.daCheckin = function () { checkin(null); };
  // A page script that starts a task (e.g. with fetch) can ask for fast check-ins.
  window.daTaskStarted = function () { pending = Math.max(pending, 1); fastStep = 0; schedule(); };

  /* ---- js show if / js enable if ---- */
  function evaluateCondition(index) {
    var condition = (window.daConditions || [])[Number(index)];
    if (typeof condition !== "function") { return true; }
    try { return !!condition(val); } catch (e) { return true; }
  }
  function applyConditions() {
    document.querySelectorAll("[data-js-show-if],[data-js-hide-if],[data-js-enable-if],[data-js-disable-if]").forEach(function (el) {
      var show = true, enable = true;
      if (el.dataset.jsShowIf) { show = evaluateCondition(el.dataset.jsShowIf); }
      if (el.dataset.jsHideIf) { show = !evaluateCondition(el.dataset.jsHideIf); }
      if (el.dataset.jsEnableIf) { enable = evaluateCondition(el.dataset.jsEnableIf); }
      if (el.dataset.jsDisableIf) { enable = !evaluateCondition(el.dataset.jsDisableIf); }
      el.hidden = !show;
      el.querySelectorAll("input,select,textarea").forEach(function (c) { c.disabled = !show || !enable; });
    });
  }

  function start() {
    var dataElement = document.querySelector('script#da-page-data[type="application/json"]');
    page = dataElement ? JSON.parse(dataElement.textContent) : {};
    if (typeof page.checkinIntervalMs === "number") { CHECKIN_INTERVAL_MS = page.checkinIntervalMs; }
    pending = page.pendingTasks || 0;
    try {
      var carry = JSON.parse(sessionStorage.getItem("daFlashCarry") || "null");
      sessionStorage.removeItem("daFlashCarry");
      if (carry && carry.url === page.url) { carry.messages.forEach(function (m) { flash(m, "info", false, true); }); }
    } catch (e) { /* storage off */ }
    useCheckin = CHECKIN_INTERVAL_MS > 0 && page.questionType !== "wait";
    document.addEventListener("click", function (event) {
      var close = event.target.closest && event.target.closest(".da-flash-close");
      if (close) { close.parentNode.remove(); }
    });
    var form = document.querySelector("#daMainQuestion form");
    if (form) {
      form.addEventListener("change", function (event) {
        applyConditions();
        if (useCheckin && page.checkin && event.target.name) {
          if (timer) { clearTimeout(timer); timer = null; }
          checkin(event.target.name);
        }
      });
      form.addEventListener("input", applyConditions);
      form.addEventListener("submit", function () { $.active += 1; });
    }
    applyConditions();
    if (useCheckin && (page.checkin || pending > 0)) {
      timer = setTimeout(function () { checkin(null, true); }, 100);
    }
    if (page.reloadAfter && page.reloadAfter > 0) { setTimeout(refreshScreen, page.reloadAfter); }
  }
  onReady(start);
})();
