/* offstage page script: check-in, reload, flash messages, help, and docassemble's page JavaScript API
   (flash, val, getField, getFields, setField, url_action, action_perform, action_call, daShowSpinner,
   get_interview_variables, the daPageLoad and daCheckIn events). Written for offstage; it runs after
   jQuery and Bootstrap (their npm packages). Forms are submitted by the browser (plain POST). */
(function () {
  "use strict";

  // Loaded at the end of the body, after the page's data island and before the author's scripts, which
  // can call flash(), val() and the rest right away.
  var page = {};
  // The response's CSP nonce, read while this script runs: scripts the page adds later carry it.
  var NONCE = (document.currentScript && document.currentScript.nonce) || "";
  var CHECKIN_INTERVAL_MS = 6000;
  var CONFLICT_RETRY_MS = [250, 500, 1000, 2000, 4000];
  var FAST_DELAYS_MS = [500, 500, 750, 1000, 1500, 2000];
  var RELOAD_SCREEN_CHECKIN_MS = 1000;
  var checkinCode = String(Math.random());

  // jQuery (from its npm package) is loaded just before this script; interview scripts come after it.
  var $ = window.jQuery;
  $.active = $.active || 0; // pending requests (jQuery's own count, which test tools wait on)

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
    if (message === null || message === undefined) { return; }
    priority = /^(primary|secondary|success|danger|warning|info|light|dark)$/.test(priority || "") ? priority : "info";
    var box = document.createElement("div");
    box.className = "alert alert-" + priority + " alert-dismissible da-flash da-flash-" + priority;
    if (carry) { box.setAttribute("data-da-carry", "1"); } // a check-in's message: kept over the next refresh
    box.setAttribute("role", priority === "danger" ? "alert" : "status");
    box.innerHTML = '<div class="da-flash-text"></div><button type="button" class="btn-close da-flash-close" aria-label="Dismiss"></button>';
    box.firstChild.innerHTML = message;
    area.appendChild(box);
    if (priority === "success") { setTimeout(function () { box.remove(); }, 3000); } // as docassemble's does
  }
  window.flash = window.da_flash = flash;

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
    return Array.prototype.filter.call(document.querySelectorAll("#daform [name]"), function (el) {
      return el.name === name && !el.disabled;
    });
  }
  // `fruits['apple']` / `fruits["apple"]` / `fruits[nota]`: one box of a checkbox group
  var ONE_BOX = /^(.+)\[(?:'([^']*)'|"([^"]*)"|(nota|aota))\]$/;
  function oneBox(name) {
    var m = ONE_BOX.exec(name);
    if (!m) { return null; }
    var group = controlsNamed(m[1]).filter(function (el) { return el.type === "checkbox"; });
    if (!group.length) { return null; }
    if (m[4] === "nota") {
      var fieldset = group[0].closest("fieldset");
      return fieldset ? fieldset.querySelector(".danota-checkbox") : null;
    }
    var key = m[2] !== undefined ? m[2] : m[3];
    return group.filter(function (el) { return el.value === key; })[0] || null;
  }
  function val(name) {
    var box = oneBox(name);
    if (box) { return box.checked; }
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
  window.val = window.da_val = val;

  function getField(name) {
    var box = oneBox(name);
    if (box) { return box; }
    var controls = controlsNamed(name).filter(function (el) { return el.type !== "hidden" || controlsNamed(name).length === 1; });
    if (!controls.length) { return null; }
    if (controls[0].type === "radio" || (controls[0].type === "checkbox" && controls[0].closest("fieldset"))) {
      return controls[0].closest("fieldset");
    }
    return controls[0];
  }
  function getFields() {
    var names = [];
    document.querySelectorAll("#daform [name]").forEach(function (el) {
      if (!el.name || el.name.charAt(0) === "_") { return; }
      if (names.indexOf(el.name) < 0) { names.push(el.name); }
      if (el.type === "checkbox" && el.closest("fieldset")) { names.push(el.name + '["' + el.value + '"]'); }
    });
    return names;
  }
  window.getField = window.daGetField = getField;
  window.getFields = window.daGetFields = getFields;

  /* ---- the form's values, as the raw strings the check-in action receives ---- */
  function formValues() {
    var values = {};
    var seen = {};
    document.querySelectorAll("#daform [name]").forEach(function (el) {
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
    var box = oneBox(name);
    if (box) { box.checked = !!value; $(box).trigger("change"); return; }
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
  window.setField = window.daSetField = setField;

  /* ---- actions from the page: url_action(), action_perform(), action_call() ---- */
  function encodeAction(action, args) {
    var json = JSON.stringify({ action: action, arguments: args || {} });
    var bytes = new TextEncoder().encode(json), binary = "";
    bytes.forEach(function (b) { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function url_action(action, args) {
    return page.url + (page.url.indexOf("?") >= 0 ? "&" : "?") + "action=" + encodeAction(action, args);
  }
  function action_perform(action, args) {
    daShowSpinner();
    $.active += 1; // the page is going away: keep test tools waiting until the new one loads
    window.location.href = url_action(action, args);
  }
  // action_call(action, args, callback, forgetPrior, readOnly), or one object with those keys:
  // forgetPrior drops actions left pending; readOnly runs the action without saving what it changes
  function action_call(action, args, callback, forgetPrior, readOnly) {
    if (action && typeof action === "object") {
      args = action.arguments; callback = action.callback; forgetPrior = action.forgetPrior; readOnly = action.readOnly;
      action = action.action;
    }
    var url = url_action(action, args) + (forgetPrior ? "&forget_prior=1" : "") + (readOnly ? "&read_only=1" : "");
    $.active += 1;
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) { return response.json().catch(function () { return null; }); })
      .then(function (data) { if (typeof callback === "function") { callback(data); } })
      .finally(function () { $.active -= 1; });
  }
  window.url_action = window.da_url_action = url_action;
  window.action_perform = window.url_action_perform = window.da_action_perform = action_perform;
  window.action_call = window.url_action_call = window.da_action_call = action_call;

  function get_interview_variables(callback) {
    $.active += 1;
    return fetch(page.variablesUrl, { credentials: "same-origin", headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) { return response.json().catch(function () { return { success: false }; }); })
      .then(function (data) { if (typeof callback === "function") { callback(data); } })
      .finally(function () { $.active -= 1; });
  }
  window.get_interview_variables = window.da_get_interview_variables = get_interview_variables;

  function daShowSpinner() {
    if (document.getElementById("daSpinner")) { return; }
    var spinner = document.createElement("div");
    spinner.id = "daSpinner";
    spinner.className = "da-page-spinner spinner-border text-primary";
    spinner.setAttribute("role", "status");
    spinner.innerHTML = '<span class="visually-hidden">Loading…</span>';
    document.body.appendChild(spinner);
  }
  function daHideSpinner() { var s = document.getElementById("daSpinner"); if (s) { s.remove(); } }
  window.daShowSpinner = daShowSpinner;
  window.daHideSpinner = daHideSpinner;

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
    $(document).trigger("daCheckIn", [command.action, command.value]);
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
    // a waiting screen (reload: True) may wait on a bundle with no notification (AssemblyLine's):
    // check in each second until it reloads, so the page can show how many documents are ready
    else if (page.reloadAfter > 0) { delay = RELOAD_SCREEN_CHECKIN_MS; }
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

  /* ---- `show if: field` / `show if: {variable: field, is: value}`: the field's answer on this screen ---- */
  function daShowIf(name, expected) {
    if (!controlsNamed(name).length) { return true; } // not a field of this screen: the engine decided
    var v = val(name);
    if (typeof v === "boolean") { v = v ? "True" : "False"; }
    if (expected === null || expected === undefined) { return v === "True"; }
    return Array.isArray(v) ? v.indexOf(String(expected)) >= 0 : String(v) === String(expected);
  }
  window.daShowIf = daShowIf;

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

  /* ---- the Help tab: the question and its help are two panels; one is shown at a time ---- */
  function showPanel(help) {
    var question = document.getElementById("daquestion"), helpPanel = document.getElementById("dahelp");
    var toggle = document.getElementById("dahelptoggle");
    if (!question || !helpPanel) { return; }
    question.hidden = help;
    helpPanel.hidden = !help;
    if (toggle) { toggle.setAttribute("aria-selected", help ? "true" : "false"); toggle.classList.toggle("active", help); }
    var target = help ? document.getElementById("dahelpheading") : document.getElementById("daMainQuestion");
    if (target) { if (!help) { target.setAttribute("tabindex", "-1"); } target.focus(); }
  }
  function setUpHelpTab() {
    var toggle = document.getElementById("dahelptoggle"), back = document.getElementById("dabackToQuestion");
    if (toggle) {
      toggle.addEventListener("click", function (event) {
        event.preventDefault();
        showPanel(toggle.getAttribute("aria-selected") !== "true");
      });
    }
    if (back) { back.addEventListener("click", function () { showPanel(false); }); }
  }

  /* ---- "None of the above" clears the group's other boxes, and a ticked box clears it ---- */
  function noneOfTheAbove(event) {
    var box = event.target;
    if (box.type !== "checkbox" || !box.checked) { return; }
    var fieldset = box.closest("fieldset");
    if (!fieldset || !fieldset.querySelector(".danota-checkbox")) { return; }
    fieldset.querySelectorAll("input[type=checkbox]").forEach(function (other) {
      if (other !== box && (box.classList.contains("danota-checkbox") || other.classList.contains("danota-checkbox"))) {
        other.checked = false;
      }
    });
  }

  // docassemble asks for a choice in a checkbox group that has "None of the above": at least one box, or
  // that one (which posts nothing: the group then answers "none"). Checked before the form is sent.
  function unansweredGroups() {
    var missing = [];
    document.querySelectorAll("#daform fieldset").forEach(function (fieldset) {
      var nota = fieldset.querySelector(".danota-checkbox");
      if (!nota || nota.disabled || fieldset.closest("[hidden]")) { return; }
      var ticked = fieldset.querySelector("input[type=checkbox]:checked");
      var message = fieldset.querySelector(".da-nota-error");
      if (ticked) { if (message) { message.remove(); } fieldset.removeAttribute("aria-invalid"); return; }
      if (!message) {
        message = document.createElement("div");
        message.className = "da-error invalid-feedback d-block da-nota-error";
        message.id = fieldset.id + "-nota-error";
        fieldset.appendChild(message);
      }
      var label = nota.parentNode.textContent.trim();
      message.textContent = "Check at least one option, or check \u201c" + label + "\u201d";
      fieldset.setAttribute("aria-invalid", "true");
      fieldset.setAttribute("aria-describedby", message.id);
      missing.push(fieldset);
    });
    return missing;
  }
  function checkGroupsBeforeSending(event) {
    var by = event.submitter;
    if (by && (by.formNoValidate || by.name === "_back")) { return; }
    var missing = unansweredGroups();
    if (!missing.length) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    var first = missing[0].querySelector("input[type=checkbox]");
    if (first) { first.focus(); }
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
      if (event.target.closest && event.target.closest(".daquestionhelpbutton")) { showPanel(true); }
      var fieldHelp = event.target.closest && event.target.closest(".dafieldhelp");
      if (fieldHelp) {
        var text = document.getElementById(fieldHelp.getAttribute("aria-controls"));
        var open = fieldHelp.getAttribute("aria-expanded") !== "true";
        fieldHelp.setAttribute("aria-expanded", open ? "true" : "false");
        if (text) { text.hidden = !open; }
      }
    });
    setUpHelpTab();
    var form = document.getElementById("daform");
    if (form) {
      form.addEventListener("change", function (event) {
        applyConditions();
        if (useCheckin && page.checkin && event.target.name) {
          if (timer) { clearTimeout(timer); timer = null; }
          checkin(event.target.name);
        }
      });
      form.addEventListener("input", applyConditions);
      form.addEventListener("change", noneOfTheAbove);
      form.addEventListener("change", function () { if (document.querySelector(".da-nota-error")) { unansweredGroups(); } });
      form.addEventListener("submit", checkGroupsBeforeSending);
      form.addEventListener("submit", function () { $.active += 1; });
    }
    applyConditions();
    var summary = document.getElementById("daerrorsummary");
    if (summary) { summary.focus(); }
    $(document).trigger("daPageLoad");
    if (useCheckin && (page.checkin || pending > 0 || page.reloadAfter > 0)) {
      timer = setTimeout(function () { checkin(null, true); }, 100);
    }
    if (page.reloadAfter && page.reloadAfter > 0) { setTimeout(refreshScreen, page.reloadAfter); }
  }
  $(start);
})();

/* ---- tables and glossary (helper "tables"): Delete with `confirm`, term popovers, `input type: ajax` ---- */
(function () {
  "use strict";
  var $ = window.jQuery;

  // A table's Delete button with `confirm: True` (class daremovebutton) asks first; Cancel keeps the item.
  document.addEventListener("click", function (event) {
    var remove = event.target.closest && event.target.closest("a.daremovebutton");
    if (remove && !window.confirm("Are you sure you want to delete this item?")) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  // role="button" links answer the space bar as buttons do (Enter already clicks a link)
  document.addEventListener("keydown", function (event) {
    var link = event.target.closest && event.target.closest("a[role=button][href]");
    if (link && event.key === " ") { event.preventDefault(); link.click(); }
  });

  // A term (a.daterm) shows the definition beside it in a popover while it has the focus (click or Tab).
  function setUpTerms() {
    if (!window.bootstrap || !window.bootstrap.Popover) { return; }
    document.querySelectorAll("a.daterm").forEach(function (term) {
      var definition = term.nextElementSibling;
      if (!definition || !definition.classList.contains("daterm-definition")) { return; }
      var content = document.createElement("div");
      content.innerHTML = definition.innerHTML; // already sanitized by the server
      term.setAttribute("aria-label", term.textContent + " (term definition)");
      window.bootstrap.Popover.getOrCreateInstance(term, {
        content: content, html: true, trigger: "focus", placement: "bottom", container: "body"
      });
    });
  }

  // `input type: ajax`: after `trigger at` characters, the field's action (by name) is asked for
  // suggestions (its json_response: a list of words, a {value: label} dict or [value, label] pairs),
  // shown in the box's datalist; a label picked is sent as its value.
  var AJAX_WAIT_MS = 400;
  function suggestionsOf(data) {
    var found = [];
    if (Array.isArray(data)) {
      data.forEach(function (item) {
        if (Array.isArray(item) && item.length >= 2) { found.push({ value: String(item[0]), label: String(item[1]) }); }
        else if (item !== null && typeof item === "object") { found.push({ value: String(item.value), label: String(item.label !== undefined ? item.label : item.value) }); }
        else if (item !== null && item !== undefined) { found.push({ value: String(item), label: String(item) }); }
      });
    } else if (data && typeof data === "object") {
      Object.keys(data).forEach(function (key) { found.push({ value: key, label: String(data[key]) }); });
    }
    return found.slice(0, 200);
  }
  function setUpAjax(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var action = input.getAttribute("data-da-action");
    var triggerAt = parseInt(input.getAttribute("data-da-trigger-at"), 10);
    if (!list || !action || typeof window.action_call !== "function") { return; }
    if (!(triggerAt >= 0)) { triggerAt = 4; }
    var labels = {}, timer = null, asked = null;
    function ask() {
      var word = input.value;
      if (word.length < triggerAt || word === asked) { return; }
      asked = word;
      window.action_call(action, { wordstart: word }, function (data) {
        if (input.value !== word && input.value.indexOf(word) !== 0) { return; } // an older answer
        list.innerHTML = "";
        suggestionsOf(data).forEach(function (s) {
          labels[s.label] = s.value;
          var option = document.createElement("option");
          option.value = s.label;
          list.appendChild(option);
        });
      });
    }
    input.addEventListener("input", function () {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(ask, AJAX_WAIT_MS);
    });
    // an answer given before (Back, a review) is the stored value: the action is asked for its label
    var initial = input.value;
    if (initial) {
      window.action_call(action, { wordstart: initial }, function (data) {
        var found = suggestionsOf(data).filter(function (s) { return s.value === initial; })[0];
        if (found && input.value === initial) { labels[found.label] = found.value; input.value = found.label; }
      });
    }
    if (input.form) {
      input.form.addEventListener("submit", function () {
        if (Object.prototype.hasOwnProperty.call(labels, input.value)) { input.value = labels[input.value]; }
      });
    }
  }

  $(function () {
    setUpTerms();
    document.querySelectorAll("input.daajax").forEach(setUpAjax);
  });
})();

/* ---- `uncheck others`: ticking such a yes/no box clears the other boxes (all, or those it names), and
   ticking one of those clears it, as docassemble's page does ---- */
(function () {
  "use strict";

  function clearedBy(box) {
    var setting = box.getAttribute("data-uncheck-others");
    var names = setting && setting !== "*" ? JSON.parse(setting) : null;
    var form = box.form || document;
    return Array.prototype.filter.call(form.querySelectorAll(".da-check input[type=checkbox]"), function (other) {
      return other !== box && (names === null || names.indexOf(other.name) >= 0);
    });
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.type !== "checkbox" || !box.checked) { return; }
    if (box.hasAttribute("data-uncheck-others")) {
      clearedBy(box).forEach(function (other) { other.checked = false; });
      return;
    }
    var form = box.form || document;
    form.querySelectorAll("input[data-uncheck-others]").forEach(function (clearing) {
      if (clearedBy(clearing).indexOf(box) >= 0) { clearing.checked = false; }
    });
  });
})();

/* `disable others`: a field that, once answered, turns off the other fields of the screen (all of them,
   or those it lists by variable name), as docassemble's page does; they are enabled again when it is
   emptied. A field turned off is not posted and not required. */
(function () {
  "use strict";
  function answered(container) {
    return Array.prototype.some.call(container.querySelectorAll("input,select,textarea"), function (c) {
      if (c.type === "radio" || c.type === "checkbox") { return c.checked; }
      return c.value !== "";
    });
  }
  function disableOthers() {
    document.querySelectorAll("#daform [data-disable-others]").forEach(function (source) {
      var listed = source.dataset.disableOthers === "all" ? null : JSON.parse(source.dataset.disableOthers);
      var off = answered(source);
      document.querySelectorAll("#daform .da-field[data-variable]").forEach(function (other) {
        if (other === source || (listed && listed.indexOf(other.dataset.variable) < 0)) { return; }
        other.querySelectorAll("input,select,textarea").forEach(function (c) {
          c.disabled = off || !!other.closest("[hidden]");
        });
        other.classList.toggle("da-disabled-by-other", off);
      });
    });
  }
  $(function () {
    var form = document.getElementById("daform");
    if (!form || !form.querySelector("[data-disable-others]")) { return; }
    form.addEventListener("input", disableOthers);
    form.addEventListener("change", disableOthers);
    disableOthers();
  });
})();

/* the combobox's menu (web/fields.py combobox_menu): a picked choice's label goes in the box */
(function () {
  "use strict";
  $(function () {
    document.querySelectorAll(".combobox-container").forEach(function (box) {
      var input = box.querySelector("input");
      box.querySelectorAll("a.dropdown-item").forEach(function (item) {
        item.addEventListener("click", function (event) {
          event.preventDefault();
          if (!input) { return; }
          input.value = item.textContent;
          input.dispatchEvent(new Event("input", { bubbles: true }));
          input.dispatchEvent(new Event("change", { bubbles: true }));
        });
      });
    });
  });
})();
