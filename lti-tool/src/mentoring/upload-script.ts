/**
 * `/lti/mentoring/upload.js`: the session form with a photo or PDF sends the same multipart post
 * through XMLHttpRequest, so a weak connection shows a <progress> bar and a message instead of a
 * page that seems frozen. Not resumable (the tasks' chunked uploads are tied to assignments): a
 * lost connection says so and the teacher sends again. No script → the form posts as it is.
 * Answers: a redirect (followed by the browser) → go there; an error page → shown in place.
 */
export const MENTORING_UPLOAD_SCRIPT = `(function () {
  var form = document.getElementById('tln-session-form');
  if (!form || !window.FormData || !window.XMLHttpRequest || !window.DOMParser) return;
  var input = document.getElementById('f-file');
  var bar = document.getElementById('tln-progress');
  var status = document.getElementById('tln-upload-status');
  var button = form.querySelector('button[type=submit]');
  var MAX = Number(form.getAttribute('data-max')) || 10485760;
  function say(id, en) { status.textContent = id + ' / ' + en; }
  form.addEventListener('submit', function (event) {
    var file = input.files && input.files[0];
    if (!file) return;
    event.preventDefault();
    if (file.size > MAX) { say('Berkas terlalu besar (paling besar 10 MB).', 'The file is too large (at most 10 MB).'); input.focus(); return; }
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.getAttribute('action'));
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      bar.max = e.total; bar.value = e.loaded;
      var pct = Math.floor(e.loaded * 100 / e.total);
      say('Terunggah ' + pct + '%', 'Uploaded ' + pct + '%');
    };
    xhr.onload = function () {
      if (xhr.status === 200 && /\\/sessions\\/[^/]+\\/share/.test(xhr.responseURL || '')) { window.location.assign(xhr.responseURL); return; }
      var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
      var main = doc.querySelector('main');
      if (main) { document.querySelector('main').innerHTML = main.innerHTML; var box = document.getElementById('tln-problems'); if (box) box.scrollIntoView(); }
      else { say('Terjadi masalah. Coba lagi.', 'Something went wrong. Try again.'); button.disabled = false; }
    };
    xhr.onerror = function () { say('Koneksi terputus. Periksa sinyal lalu kirim lagi.', 'The connection was lost. Check the signal and send again.'); button.disabled = false; bar.hidden = true; };
    button.disabled = true; bar.hidden = false; bar.value = 0;
    say('Mengunggah…', 'Uploading…');
    xhr.send(new FormData(form));
  });
})();
`
