import xapiPackage from '@xapi/xapi'

/**
 * The @xapi/xapi client class. The package ships CommonJS types without `exports`: under
 * NodeNext its default export is typed as the module namespace, while the run-time value is the
 * class itself (which also carries a static `default`).
 */
export const XAPI = ((xapiPackage as unknown as { default?: unknown }).default ?? xapiPackage) as typeof xapiPackage.default
export type XAPI = InstanceType<typeof XAPI>

/** An @xapi/xapi client for the LRS served at `base`, with a fresh `all` credential. */
export async function connectXapi(
  lrs: { credentials: { create(input: { scopes: string[]; label: string }): Promise<{ credential: { key: string }; secret: string }> } },
  base: string,
  label: string,
  extra: { adapter?: 'fetch' } = {},
): Promise<XAPI> {
  const { credential, secret } = await lrs.credentials.create({ scopes: ['all'], label })
  return new XAPI({ endpoint: `${base}/xapi/`, auth: XAPI.toBasicAuth(credential.key, secret), version: '1.0.3', ...extra })
}
