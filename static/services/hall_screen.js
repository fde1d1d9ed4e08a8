// The hall screen speaks each call ("请 A005 号到 3 号窗口办理") in Mandarin with the
// browser's speech synthesis, once per call and again on a recall. Browsers may hold
// speech back until someone has touched the page: the screen then shows a button.
(function () {
  "use strict";
  var spoken = null;
  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance === "undefined") { return; }

  function voice() {
    var voices = synth.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (/^zh(-|_)?(CN|Hans)?/i.test(voices[i].lang)) { return voices[i]; }
    }
    return null;
  }

  function utterance(text) {
    var say = new window.SpeechSynthesisUtterance(text);
    say.lang = "zh-CN";
    say.rate = 0.9;
    var v = voice();
    if (v) { say.voice = v; }
    return say;
  }

  function speak(text) {
    synth.cancel();
    synth.speak(utterance(text));
    synth.speak(utterance(text));  // twice, as halls do, for those who missed the first
    document.body.setAttribute("data-spoken", text);
  }

  // data-call names the ticket, the moment of its call and that of its recall: a recall
  // is a new call to speak, even in the second of the call
  function check(first) {
    var latest = document.getElementById("latest");
    if (!latest) { return; }
    var call = latest.getAttribute("data-call");
    if (call === spoken) { return; }
    spoken = call;
    if (!first) { speak(latest.textContent.replace(/\s+/g, " ").trim()); }
  }

  var hint = document.getElementById("voice-hint");
  var button = document.getElementById("voice-on");
  if (hint && button) {
    hint.hidden = false;
    button.addEventListener("click", function () {
      hint.hidden = true;
      var latest = document.getElementById("latest");
      if (latest) { speak(latest.textContent.replace(/\s+/g, " ").trim()); }
    });
  }
  check(true);  // what was called before the screen was opened is not repeated
  // the board is swapped whole (outerHTML) every few seconds: look for a new call then
  document.addEventListener("htmx:load", function () { check(false); });
  window.setInterval(function () { check(false); }, 1000);
})();
