import { AUTO_SUBMIT_SCRIPT, PLATFORM_STORAGE_SCRIPT, REGISTRATION_CLOSE_SCRIPT } from '@tln/lti-v1p3'
import { TASK_UPLOAD_SCRIPT } from '../tasks/upload-script.ts'
import { MENTORING_UPLOAD_SCRIPT } from '../mentoring/upload-script.ts'

/**
 * Asks the tool whether the session cookie came back; if not (a third-party iframe that drops
 * cookies), shows the "open TLN in a new window" offer instead of leaving the user stuck.
 */
const SESSION_CHECK_SCRIPT = `(function () {
  var box = document.getElementById('tln-new-window'); if (!box) return;
  fetch('/lti/session', { credentials: 'same-origin', cache: 'no-store' })
    .then(function (r) { return r.json(); })
    .then(function (s) { if (!s.signedIn) box.hidden = false; else document.body.setAttribute('data-session', 'cookie'); })
    .catch(function () { box.hidden = false; });
})();
`

const STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1b1b1b;background:#fff}
h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.1rem}p.en,[lang=en]{color:#444}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;word-break:break-word}
.box{border:2px solid #b45309;background:#fffbeb;padding:.75rem;border-radius:.4rem;margin:1rem 0}
.error{border-color:#b91c1c;background:#fef2f2}
button{font:inherit;padding:.6rem 1rem;border-radius:.4rem;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;min-height:44px}
a.button{display:inline-block;font:inherit;padding:.6rem 1rem;border-radius:.4rem;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;min-height:44px;box-sizing:border-box;text-decoration:none}
code{background:#f2f2f2;padding:.1rem .3rem;word-break:break-all}small{color:#555}
fieldset{border:1px solid #999;border-radius:.4rem;margin:1rem 0}legend{font-weight:600;padding:0 .3rem}
ul.picker{list-style:none;padding:0;margin:0}ul.picker li{padding:.5rem 0;border-bottom:1px solid #eee}
ul.picker input{width:1.4rem;height:1.4rem;vertical-align:middle;margin-right:.5rem}ul.picker label{font-weight:600}
.desc{margin:.25rem 0 0 2rem;color:#333}button.secondary{background:#fff;color:#1d4ed8}
input:focus,button:focus{outline:3px solid #f59e0b;outline-offset:2px}
.ok{border-color:#15803d;background:#f0fdf4}progress{width:100%;height:1.2rem}textarea,input[type=url]{width:100%;font:inherit;box-sizing:border-box}
textarea:focus,a:focus{outline:3px solid #f59e0b;outline-offset:2px}ol.versions li,ul.queue li{margin:.5rem 0}blockquote{margin:.25rem 0;padding-left:.75rem;border-left:3px solid #999}
fieldset div{padding:.3rem 0}input[type=radio]{width:1.3rem;height:1.3rem;vertical-align:middle}button:disabled{opacity:.6}
a.button [lang=en],button [lang=en]{color:inherit}
nav.tln-home{font-size:.9rem}nav.tln-home a{display:inline-block;min-height:44px;line-height:44px}@media print{nav.tln-home{display:none}}
`

/** Static files under `/lti/static/`: the library's scripts (no page has inline script) and the stylesheet. */
export const STATIC_FILES: Readonly<Record<string, { type: string; body: string }>> = {
  'storage.js': { type: 'text/javascript', body: PLATFORM_STORAGE_SCRIPT },
  'close.js': { type: 'text/javascript', body: REGISTRATION_CLOSE_SCRIPT },
  'auto-submit.js': { type: 'text/javascript', body: AUTO_SUBMIT_SCRIPT },
  'session-check.js': { type: 'text/javascript', body: SESSION_CHECK_SCRIPT },
  'task-upload.js': { type: 'text/javascript', body: TASK_UPLOAD_SCRIPT },
  'mentoring-upload.js': { type: 'text/javascript', body: MENTORING_UPLOAD_SCRIPT },
  'tln.css': { type: 'text/css', body: STYLE },
}
