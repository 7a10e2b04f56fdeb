import xapiPackage from '@xapi/xapi'

/**
 * The @xapi/xapi client class. The package ships CommonJS types without `exports`: under
 * NodeNext its default export is typed as the module namespace, while the run-time value is the
 * class itself (which also carries a static `default`).
 */
export const XAPI = ((xapiPackage as unknown as { default?: unknown }).default ?? xapiPackage) as typeof xapiPackage.default
export type XAPI = InstanceType<typeof XAPI>
