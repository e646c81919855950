/**
 * `@entra-share/emulator/testing`: what a host's tests need around a running emulator — signing a user in over
 * plain HTTP, launching Chromium for Playwright, and proving no request leaves 127.0.0.1.
 */
export { chromiumLaunchOptions } from './chromium.js'
export { installLoopbackGuard } from './loopback-guard.js'
export {
  type AuthorizeOptions,
  type AuthorizeOutcome,
  type AuthorizeStart,
  approveMfa,
  authorizeUrl,
  pageContext,
  postToken,
  redeemCode,
  SPA_REDIRECT_URI,
  signInToSpa,
  type TokenEndpointAnswer,
  visit,
} from './sign-in.js'
