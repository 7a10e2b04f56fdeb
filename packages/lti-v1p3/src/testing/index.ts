/**
 * Test helpers (not for production): in-memory stores and a platform double. Reach them by path,
 * `@tln/lti-v1p3/src/testing/index.ts` is not exported by the package; other packages' tests
 * that need them should ask for a `./testing` export.
 */
export { MemoryAccessTokenCache, MemoryKeyStore, MemoryLoginStateStore, MemoryNonceStore, MemoryPlatformStore } from './memory-stores.ts'
export { createPlatformDouble, type PlatformDouble, type PlatformDoubleOptions, type SignOptions } from './platform-double.ts'
export { createLaunchHarness, T0, verified } from './launch-harness.ts'
export { canvasConfiguration, CANVAS_CONFIGURATION_URL, moodle4Configuration, MOODLE_4_CONFIGURATION_URL, MOODLE_4_ISSUER, MOODLE_4_REGISTRATION_URL, PLATFORM_CONFIGURATION, TEST_TOOL_CONFIGURATION } from './platform-configurations.ts'
