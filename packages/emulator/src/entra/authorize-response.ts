import type { FastifyReply } from 'fastify'
import type { AuthorizeReplyTarget } from './authorize-request.js'
import { formPostPage, newScriptNonce, sendPage } from './login-page.js'

/**
 * Sends authorize response parameters (a code, or an error) back to the app's redirect URI in the requested
 * response mode: in the query string, in the fragment, or in a self-submitting form.
 */
export function sendAuthorizeResponse(
  reply: FastifyReply,
  target: AuthorizeReplyTarget,
  params: Record<string, string>,
): FastifyReply {
  const fields = { ...params, ...(target.state !== null ? { state: target.state } : {}) }
  // A registered URI without a path comes back with `/`, as Entra documents; URL serialisation does exactly that.
  const url = new URL(target.redirectUri)
  if (target.responseMode === 'form_post') {
    const nonce = newScriptNonce()
    return sendPage(reply, 200, formPostPage(url.href, fields, nonce), {
      formAction: url.origin,
      scriptNonce: nonce,
    })
  }
  const encoded = new URLSearchParams(fields)
  if (target.responseMode === 'fragment') url.hash = encoded.toString()
  else for (const [name, value] of encoded) url.searchParams.append(name, value)
  return reply.header('Cache-Control', 'no-store, no-cache').redirect(url.href, 302)
}
