/**
 * `/lti/static/task-upload.js`: the chunked, resumable upload of the task page (no inline script:
 * the CSP allows scripts from this origin only). Sends 256 KB chunks with `PUT
 * /lti/tasks/uploads/<id>?offset=<n>`; after a network failure it waits (1 s, 2 s, 4 s … 30 s),
 * asks the server's offset and goes on from there; the upload id is kept in localStorage so a
 * reload resumes too. Shows a <progress> bar and the server's message (id / en). Without this
 * script the form posts the file in one multipart request instead.
 */
export const TASK_UPLOAD_SCRIPT = `(function () {
  var form = document.getElementById('tln-upload');
  if (!form || !window.fetch || !window.Blob || !window.JSON) return;
  var input = document.getElementById('tln-file');
  var bar = document.getElementById('tln-progress');
  var status = document.getElementById('tln-upload-status');
  var button = form.querySelector('button[type=submit]');
  var csrf = form.querySelector('input[name=csrf]').value;
  var assignment = form.getAttribute('data-assignment');
  var CHUNK = Number(form.getAttribute('data-chunk')) || 262144;
  var MAX = Number(form.getAttribute('data-max')) || 10485760;
  function say(id, en) { status.textContent = en ? id + ' / ' + en : id; }
  function store(key, value) { try { if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value); } catch (e) {} }
  function stored(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function call(method, url, body, type) {
    var headers = { 'X-TLN-CSRF': csrf, 'Accept': 'application/json' };
    if (type) headers['Content-Type'] = type;
    return fetch(url, { method: method, credentials: 'same-origin', headers: headers, body: body }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) { j.httpStatus = r.status; return j; });
    });
  }
  function refuse(j) {
    var m = j.message || { id: 'Terjadi masalah. Coba lagi.', en: 'Something went wrong. Try again.' };
    var err = new Error(m.en); err.final = true; err.answer = j; say(m.id, m.en); throw err;
  }
  function progress(offset, size) {
    bar.value = offset; bar.max = size;
    say('Terunggah ' + Math.floor(offset * 100 / size) + '%', 'Uploaded ' + Math.floor(offset * 100 / size) + '%');
  }
  function send(file, id, offset, delay) {
    progress(offset, file.size);
    if (offset >= file.size) return call('POST', '/lti/tasks/uploads/' + id + '/complete', '{}', 'application/json').then(function (j) { if (j.httpStatus !== 200) refuse(j); return j; });
    var chunk = file.slice(offset, Math.min(offset + CHUNK, file.size));
    return call('PUT', '/lti/tasks/uploads/' + id + '?offset=' + offset, chunk, 'application/octet-stream').then(function (j) {
      if (j.httpStatus === 200) return send(file, id, j.offset, 1000);
      if (j.httpStatus === 409 && typeof j.offset === 'number') return send(file, id, j.offset, 1000);
      refuse(j);
    }, function () {
      say('Koneksi terputus, mencoba lagi…', 'Connection lost, retrying…');
      return wait(delay).then(function () {
        return call('GET', '/lti/tasks/uploads/' + id).then(function (j) {
          if (j.httpStatus !== 200) refuse(j);
          return send(file, id, j.offset, 1000);
        }, function () { return send(file, id, offset, Math.min(delay * 2, 30000)); });
      });
    });
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var file = input.files && input.files[0];
    if (!file) { say('Pilih berkas atau foto dahulu.', 'Choose a file or photo first.'); input.focus(); return; }
    if (file.size > MAX) { say('Berkas terlalu besar (paling besar 10 MB).', 'The file is too large (at most 10 MB).'); return; }
    var key = 'tln-upload:' + assignment + ':' + file.name + ':' + file.size + ':' + file.lastModified;
    button.disabled = true; bar.hidden = false;
    var known = stored(key);
    var start = known
      ? call('GET', '/lti/tasks/uploads/' + known).then(function (j) { return j.httpStatus === 200 ? { id: known, offset: j.offset } : null; }, function () { return null; })
      : Promise.resolve(null);
    start.then(function (resumed) {
      if (resumed) return resumed;
      return call('POST', '/lti/tasks/uploads', JSON.stringify({ assignment: assignment, fileName: file.name, size: file.size }), 'application/json').then(function (j) {
        if (j.httpStatus !== 201) refuse(j);
        store(key, j.id);
        return { id: j.id, offset: j.offset };
      });
    }).then(function (u) { return send(file, u.id, u.offset, 1000); }).then(function (done) {
      store(key, null);
      say('Terkirim. Terima kasih!', 'Submitted. Thank you!');
      window.location.assign(done.redirect);
    }).catch(function (err) {
      if (err && err.answer && err.answer.httpStatus !== 409) store(key, null);
      if (!err || !err.final) say('Unggahan gagal. Coba lagi.', 'The upload failed. Try again.');
      button.disabled = false;
    });
  });
})();
`
