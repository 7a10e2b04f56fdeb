/** A file name safe to store and to send back in Content-Disposition: no path, no control characters or quotes, at most 120 characters. */
export function cleanFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = name.replace(/^.*[\\/]/u, '').replace(/[\u0000-\u001f\u007f"]/gu, '').trim().slice(0, 120)
  return base === '' ? 'bukti' : base
}
