/**
 * `@entra-share/bff/testing`: development and test helpers, kept out of the production entry
 * (`@entra-share/bff`). Nothing here is meant for a deployed BFF.
 *
 * @example
 * import { buildApp } from '@entra-share/bff'
 * import { configForEmulator } from '@entra-share/bff/testing'
 * const app = await buildApp(configForEmulator(emulator))
 */
export { configForEmulator, type EmulatorLike } from './emulator-config.js'
