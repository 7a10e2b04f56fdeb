import { escapeHtml } from '../html.ts'

/**
 * LTI Client Side postMessage storage (1EdTech "LTI OIDC Login with LTI Client Side postMessages"
 * v0.1, `lti_storage_target`): when third-party cookies are blocked, the tool page stores the
 * state in the platform's frame with `lti.put_data` before the authentication request, and reads
 * it back with `lti.get_data` on the launch, binding the launch to this browser without a cookie.
 */
export interface PlatformStorageKeys {
  readonly stateKey: string
  readonly state: string
  readonly nonceKey: string
  readonly nonce: string
}

/** The keys under which state and nonce go into platform storage (one key per login, as the spec's examples do). */
export function platformStorageKeys(state: string, nonce: string): PlatformStorageKeys {
  return { stateKey: `state_${state}`, state, nonceKey: `nonce_${nonce}`, nonce }
}

export interface PlatformStoragePage {
  /** `put` on the login page (store, then go to `next`); `check` on the launch page (read back, then submit `next`). */
  readonly mode: 'put' | 'check'
  readonly target: string
  readonly platformOrigin: string
  readonly keys: PlatformStorageKeys
  /** `put`: the authentication request URL. `check`: the URL the continue form posts to. */
  readonly next: string
  /** URL where the app serves `PLATFORM_STORAGE_SCRIPT` (external, so a strict CSP needs no inline script). */
  readonly scriptSrc: string
  /** Hidden fields of the continue form in `check` mode. */
  readonly fields?: Readonly<Record<string, string>>
  /** `check`: where "open in a new window" restarts the login if the check fails (a top-level GET). */
  readonly restartUrl?: string
}

/**
 * The HTML of the login (`put`) or launch (`check`) page of the platform-storage flow. No inline
 * script: the data rides on `data-*` attributes and `PLATFORM_STORAGE_SCRIPT` does the work.
 */
export function renderPlatformStoragePage(page: PlatformStoragePage): string {
  const data: Record<string, string> = {
    mode: page.mode, target: page.target, origin: page.platformOrigin, next: page.next,
    'state-key': page.keys.stateKey, state: page.keys.state, 'nonce-key': page.keys.nonceKey, nonce: page.keys.nonce,
  }
  const attributes = Object.entries(data).map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`).join('')
  const fields = Object.entries(page.fields ?? {}).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('')
  return `<!doctype html><html><head><meta charset="utf-8"><title>LTI</title></head><body>
<div id="lti-storage"${attributes}></div>
<form id="lti-continue" method="post" action="${escapeHtml(page.next)}">${fields}</form>
<p id="lti-storage-failed" hidden>This launch could not be verified in this browser. / Peluncuran ini tidak dapat diverifikasi di peramban ini.${page.restartUrl === undefined ? '' : ` <a id="lti-restart-login" href="${escapeHtml(page.restartUrl)}" target="_blank" rel="noopener">Open in a new window / Buka di jendela baru</a>`}</p>
<script src="${escapeHtml(page.scriptSrc)}"></script>
</body></html>`
}

/**
 * Static script for `renderPlatformStoragePage`; serve it from the tool's own origin. It posts
 * only to the named platform frame with the platform's origin as target (never `*`), and accepts
 * answers only from that origin with the message_id it sent.
 */
export const PLATFORM_STORAGE_SCRIPT = `(function () {
  var el = document.getElementById('lti-storage'); if (!el) return;
  var d = el.dataset, parentWin = window.opener || window.parent;
  var frame = d.target === '_parent' ? parentWin : parentWin.frames[d.target];
  function ask(subject, body) {
    return new Promise(function (resolve, reject) {
      var id = Math.random().toString(36).slice(2) + Date.now().toString(36);
      var timer = setTimeout(function () { window.removeEventListener('message', onMessage); reject(new Error('timeout')); }, 3000);
      function onMessage(event) {
        if (event.origin !== d.origin || !event.data || event.data.message_id !== id) return;
        if (event.data.subject !== subject + '.response') return;
        clearTimeout(timer); window.removeEventListener('message', onMessage);
        if (event.data.error) reject(new Error(event.data.error.code || 'error')); else resolve(event.data);
      }
      window.addEventListener('message', onMessage);
      body.subject = subject; body.message_id = id;
      frame.postMessage(body, d.origin);
    });
  }
  function failed() { var p = document.getElementById('lti-storage-failed'); if (p) p.hidden = false; }
  if (!frame) { failed(); return; }
  if (d.mode === 'put') {
    Promise.all([ask('lti.put_data', { key: d.stateKey, value: d.state }), ask('lti.put_data', { key: d.nonceKey, value: d.nonce })])
      .then(function () { window.location.href = d.next; }, failed);
  } else {
    ask('lti.get_data', { key: d.stateKey }).then(function (answer) {
      if (answer.value === d.state) document.getElementById('lti-continue').submit(); else failed();
    }, failed);
  }
})();
`
