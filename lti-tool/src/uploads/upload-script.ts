/** Where a page's resumable upload talks to, and what it does once every byte is there. */
export interface UploadScriptConfig {
  /** The form (`id`), its file input (`id`). */
  readonly formId: string
  readonly fileInputId: string
  /** The upload API: `POST <base>` starts, `PUT <base>/<id>?offset=` appends, `GET <base>/<id>` tells the offset. */
  readonly base: string
  /** The form attribute naming the owner (assignment, relation) and the JSON field it is sent in. */
  readonly ownerAttribute: string
  readonly ownerField: string
  /**
   * `complete`: `POST <base>/<id>/complete`, then go to its `redirect` (a task's submission).
   * `form`: put the upload id in the form's hidden `upload` field, drop the file field and submit
   * the form as it is (the page's other fields go with it; the server answers a page as usual).
   */
  readonly finish: 'complete' | 'form'
}

/**
 * The browser side of a resumable, chunked upload (no inline script: served from `/lti/static`,
 * the CSP allows scripts from this origin only). Sends 256 KB chunks with `PUT <base>/<id>?offset=`;
 * after a network failure it waits (1 s, 2 s, 4 s … 30 s), asks the server's offset and goes on
 * from there; the upload id is kept in localStorage so a reload resumes too. Shows a <progress>
 * bar and the server's message (id / en). Without script the form posts the file in one
 * multipart request instead. The config is the tool's own (never user data).
 */
export function uploadScript(config: UploadScriptConfig): string {
  return `(function () {
  var C = ${JSON.stringify(config)};
  var form = document.getElementById(C.formId);
  if (!form || !window.fetch || !window.Blob || !window.JSON) return;
  var input = document.getElementById(C.fileInputId);
  var bar = document.getElementById('tln-progress');
  var status = document.getElementById('tln-upload-status');
  var button = form.querySelector('button[type=submit]');
  var csrf = form.querySelector('input[name=csrf]').value;
  var owner = form.getAttribute(C.ownerAttribute);
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
  function finish(id) {
    if (C.finish === 'form') return Promise.resolve({ form: id });
    return call('POST', C.base + '/' + id + '/complete', '{}', 'application/json').then(function (j) { if (j.httpStatus !== 200) refuse(j); return j; });
  }
  function send(file, id, offset, delay) {
    progress(offset, file.size);
    if (offset >= file.size) return finish(id);
    var chunk = file.slice(offset, Math.min(offset + CHUNK, file.size));
    return call('PUT', C.base + '/' + id + '?offset=' + offset, chunk, 'application/octet-stream').then(function (j) {
      if (j.httpStatus === 200) return send(file, id, j.offset, 1000);
      if (j.httpStatus === 409 && typeof j.offset === 'number') return send(file, id, j.offset, 1000);
      refuse(j);
    }, function () {
      say('Koneksi terputus, mencoba lagi…', 'Connection lost, retrying…');
      return wait(delay).then(function () {
        return call('GET', C.base + '/' + id).then(function (j) {
          if (j.httpStatus !== 200) refuse(j);
          return send(file, id, j.offset, 1000);
        }, function () { return send(file, id, offset, Math.min(delay * 2, 30000)); });
      });
    });
  }
  form.addEventListener('submit', function (event) {
    var file = input.files && input.files[0];
    if (!file && C.finish === 'form') return;
    event.preventDefault();
    if (!file) { say('Pilih berkas atau foto dahulu.', 'Choose a file or photo first.'); input.focus(); return; }
    if (file.size > MAX) { say('Berkas terlalu besar (paling besar ' + Math.round(MAX / 1048576) + ' MB).', 'The file is too large (at most ' + Math.round(MAX / 1048576) + ' MB).'); input.focus(); return; }
    var key = 'tln-upload:' + C.base + ':' + owner + ':' + file.name + ':' + file.size + ':' + file.lastModified;
    button.disabled = true; bar.hidden = false;
    var known = stored(key);
    var start = known
      ? call('GET', C.base + '/' + known).then(function (j) { return j.httpStatus === 200 ? { id: known, offset: j.offset } : null; }, function () { return null; })
      : Promise.resolve(null);
    start.then(function (resumed) {
      if (resumed) return resumed;
      var body = { fileName: file.name, size: file.size }; body[C.ownerField] = owner;
      return call('POST', C.base, JSON.stringify(body), 'application/json').then(function (j) {
        if (j.httpStatus !== 201) refuse(j);
        store(key, j.id);
        return { id: j.id, offset: j.offset };
      });
    }).then(function (u) { return send(file, u.id, u.offset, 1000); }).then(function (done) {
      store(key, null);
      if (done.form) {
        var field = form.querySelector('input[name=upload]');
        field.value = done.form;
        input.removeAttribute('name');
        say('Terunggah. Menyimpan…', 'Uploaded. Saving…');
        form.submit();
        return;
      }
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
}
