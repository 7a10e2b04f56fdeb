import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

/**
 * Seals secrets that TLN must be able to read back (a remote LRS's Basic secret) with AES-256-GCM
 * under the server's secret key. The database then holds `v1.<iv>.<tag>.<ciphertext>`, useless
 * without the key, which lives only in the server's configuration.
 */
export class SecretBox {
  private readonly key: Buffer

  constructor(secretKey: string) {
    if (secretKey.length < 32) throw new TypeError('the secret key must be at least 32 characters')
    this.key = createHash('sha256').update(`tln-secret-box\u0000${secretKey}`).digest()
  }

  seal(plain: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return ['v1', iv, cipher.getAuthTag(), data].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.')
  }

  /** @throws Error when the value was sealed under another key or altered */
  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.')
    if (version !== 'v1' || iv === undefined || tag === undefined || data === undefined) throw new Error('not a sealed secret')
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')
  }
}
