// The village point's form keeps a draft in localStorage and resubmits after a dropped
// connection. The hidden client token travels with the draft, so a retry the server
// already received returns the first case instead of creating a second one.
(function () {
  "use strict";
  var form = document.getElementById("matter-new");
  if (!form || !window.fetch || !window.FormData) { return; }
  var key = form.dataset.draftKey;
  var status = document.getElementById("draft-status");
  var RETRY_MS = 2000;

  function say(text) {
    status.textContent = text;
    status.classList.toggle("d-none", !text);
  }
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.name !== "csrfmiddlewaretoken" &&
        el.type !== "submit";
    });
  }
  function save() {
    var draft = {};
    fields().forEach(function (el) { draft[el.name] = el.value; });
    try { localStorage.setItem(key, JSON.stringify(draft)); } catch (e) { /* full or off */ }
  }
  function restore() {
    var raw = null;
    try { raw = localStorage.getItem(key); } catch (e) { return; }
    if (!raw || form.querySelector(".text-danger, .alert-danger")) { return; }
    var draft = JSON.parse(raw);
    fields().forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(draft, el.name)) { el.value = draft[el.name]; }
    });
    say(form.dataset.msgRestored);
  }
  function clear() {
    try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
  }

  var sending = false;
  function send(body) {
    fetch(form.action || window.location.href, {
      method: "POST", body: body, credentials: "same-origin", redirect: "follow"
    }).then(function (response) {
      if (response.redirected) {
        clear();
        window.location.assign(response.url);
        return;
      }
      // Errors to show (or an unexpected answer): let the browser submit normally; the
      // client token makes that harmless even if the server had already saved it.
      sending = false;
      form.removeEventListener("submit", onSubmit);
      form.submit();
    }).catch(function () {
      say(form.dataset.msgOffline);
      var retry = function () {
        window.removeEventListener("online", retry);
        say(form.dataset.msgRetrying);
        send(body);
      };
      if (navigator.onLine === false) {
        window.addEventListener("online", retry);
      } else {
        window.setTimeout(retry, RETRY_MS);
      }
    });
  }
  function onSubmit(event) {
    event.preventDefault();
    if (sending) { return; }
    sending = true;
    save();
    send(new FormData(form));
  }

  restore();
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", onSubmit);
})();
