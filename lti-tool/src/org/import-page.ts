import { CSRF_FIELD } from '../accounts/csrf.ts'
import { both, escapeHtml, signedInPage } from '../http/html.ts'
import type { ImportResult } from './org-import.ts'
import type { OrgNode } from './org-types.ts'

/** The admin page of CSV imports: pick schools or teachers, paste or type the CSV, optionally check only. */
export function importPage(input: { csrf: string; node?: OrgNode; result?: ImportResult; csv?: string }): string {
  const where = input.node === undefined ? 'seluruh tenant / whole tenant' : `${input.node.name} (${input.node.code})`
  return signedInPage('TLN — Impor CSV', `
<h1>Impor data lembaga dan guru</h1>
<p lang="en">Import schools and teachers (CSV)</p>
<p>${both({ id: 'Wilayah', en: 'Area' })}: <strong id="tln-import-node">${escapeHtml(where)}</strong></p>
<p>Lembaga: kolom <code>npsn,name,type,kecamatan</code>. Guru: <code>name,npsn,email,phone,id</code> (email, phone, id boleh kosong).
Berkas yang punya satu baris salah ditolak seluruhnya; tidak ada yang disimpan.</p>
<p lang="en">Schools: columns npsn,name,type,kecamatan. Teachers: name,npsn,email,phone,id (the last three optional). A file with one bad row is rejected whole; nothing is stored.</p>
${resultBox(input.result)}
<form method="post" action="/lti/org/import">
<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(input.csrf)}">
${input.node === undefined ? '' : `<input type="hidden" name="node" value="${escapeHtml(input.node.id)}">`}
<fieldset><legend>${both({ id: 'Jenis data', en: 'Kind' })}</legend>
<p><input type="radio" id="kind-schools" name="kind" value="schools" ${input.result?.kind !== 'teachers' ? 'checked' : ''}> <label for="kind-schools">${both({ id: 'Lembaga', en: 'Schools' })}</label></p>
<p><input type="radio" id="kind-teachers" name="kind" value="teachers" ${input.result?.kind === 'teachers' ? 'checked' : ''}> <label for="kind-teachers">${both({ id: 'Guru', en: 'Teachers' })}</label></p>
</fieldset>
<p><label for="csv">${both({ id: 'Isi CSV (baris pertama: nama kolom)', en: 'CSV content (first row: column names)' })}</label><br>
<textarea id="csv" name="csv" rows="12" cols="60" required>${escapeHtml(input.csv ?? '')}</textarea></p>
<p><input type="checkbox" id="dry-run" name="dryRun" value="1"> <label for="dry-run">${both({ id: 'Periksa saja, jangan simpan', en: 'Check only, store nothing' })}</label></p>
<p><button type="submit">${both({ id: 'Impor', en: 'Import' })}</button></p>
</form>`)
}

function resultBox(result: ImportResult | undefined): string {
  if (result === undefined) return ''
  if (result.ok) {
    return `<div class="box" role="status" id="tln-import-ok"><p>${result.dryRun ? 'Pemeriksaan lolos; belum disimpan.' : 'Tersimpan.'} ${result.rows} baris: ${result.created} baru, ${result.updated} diperbarui.</p>
<p lang="en">${result.dryRun ? 'Check passed; nothing stored yet.' : 'Stored.'} ${result.rows} rows: ${result.created} new, ${result.updated} updated.</p></div>`
  }
  const rows = result.problems.map((p) => `<tr><td>${p.row}</td><td>${escapeHtml(p.column ?? '')}</td><td><code>${escapeHtml(p.rule)}</code></td><td>${escapeHtml(p.message)}</td></tr>`).join('\n')
  return `<div class="box error" role="alert" id="tln-import-problems">
<p>Berkas ditolak; tidak ada yang disimpan. Perbaiki baris berikut lalu impor lagi.</p>
<p lang="en">The file was rejected; nothing was stored. Fix these rows and import again.</p>
<table><thead><tr><th>Baris / Row</th><th>Kolom / Column</th><th>Aturan / Rule</th><th>Masalah / Problem</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>`
}
