/*
 * Idle timeout warning. The server logs a user out after a period without requests (IdleTimeoutMiddleware);
 * this script warns shortly before that and offers "Blijf ingelogd", which counts as activity. The server
 * decides: before warning or leaving, the script asks it how many seconds are left (another tab may have been
 * active). Without JavaScript the timeout still applies; the login page then says why.
 *
 * Loaded as a static file (no inline script, CSP 'self'); settings come from the script tag's data attributes.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.fetch) {
    return;
  }
  var idleSeconds = parseInt(script.dataset.idleSeconds, 10);
  var warningSeconds = parseInt(script.dataset.warningSeconds, 10);
  var statusUrl = script.dataset.statusUrl;
  var csrfToken = script.dataset.csrfToken;
  if (!(idleSeconds > 0) || !(warningSeconds > 0) || !statusUrl) {
    return;
  }

  var timer = null;
  var ticker = null;
  var deadline = 0;
  var dialog = null;
  var countdown = null;
  var previousFocus = null;

  function schedule(remaining) {
    window.clearTimeout(timer);
    deadline = Date.now() + remaining * 1000;
    timer = window.setTimeout(check, Math.max(0, remaining - warningSeconds) * 1000);
  }

  function ask(method) {
    var headers = { Accept: "application/json" };
    if (method === "POST") {
      headers["X-CSRFToken"] = csrfToken;
    }
    return window.fetch(statusUrl, { method: method, credentials: "same-origin", headers: headers }).then(function (response) {
      if (!response.ok) {
        throw new Error("status " + response.status);
      }
      return response.json();
    });
  }

  function check() {
    ask("GET").then(function (data) {
      if (!data.authenticated || data.remaining <= 0) {
        leave();
      } else if (data.remaining > warningSeconds) {
        hide();
        schedule(data.remaining);
      } else {
        show(data.remaining);
      }
    }).catch(function () {
      timer = window.setTimeout(check, 15000);
    });
  }

  function stay() {
    ask("POST").then(function (data) {
      if (!data.authenticated) {
        leave();
        return;
      }
      hide();
      schedule(data.remaining);
    }).catch(function () {
      leave();
    });
  }

  function leave() {
    // A fresh GET of this page: the server sends it to the login page, which says the session ended.
    window.location.assign(window.location.href);
  }

  function format(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = format(left);
    if (left <= 0) {
      window.clearInterval(ticker);
      check();
    }
  }

  function build() {
    dialog = document.createElement("div");
    dialog.className = "spil-timeout";
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-labelledby", "spil-timeout-title");
    dialog.setAttribute("aria-describedby", "spil-timeout-text");
    dialog.hidden = true;

    var title = document.createElement("h2");
    title.id = "spil-timeout-title";
    title.className = "utrecht-heading-2";
    title.textContent = "U wordt bijna automatisch uitgelogd";

    var text = document.createElement("p");
    text.id = "spil-timeout-text";
    text.className = "utrecht-paragraph";
    text.append("U heeft een tijd niets in Spil gedaan. Over ");
    countdown = document.createElement("strong");
    countdown.className = "spil-timeout__countdown";
    text.append(countdown, " minuten wordt u uitgelogd; wat u niet heeft opgeslagen gaat dan verloren.");

    var button = document.createElement("button");
    button.type = "button";
    button.className = "utrecht-button utrecht-button--primary-action";
    button.textContent = "Blijf ingelogd";
    button.addEventListener("click", stay);

    dialog.append(title, text, button);
    document.body.append(dialog);
  }

  function show(remaining) {
    if (!dialog) {
      build();
    }
    deadline = Date.now() + remaining * 1000;
    tick();
    window.clearInterval(ticker);
    ticker = window.setInterval(tick, 1000);
    if (dialog.hidden) {
      previousFocus = document.activeElement;
      dialog.hidden = false;
      dialog.querySelector("button").focus();
    }
  }

  function hide() {
    window.clearInterval(ticker);
    if (dialog && !dialog.hidden) {
      dialog.hidden = true;
      if (previousFocus && previousFocus.focus) {
        previousFocus.focus();
      }
    }
  }

  schedule(idleSeconds);
})();
