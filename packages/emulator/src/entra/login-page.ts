import { randomBytes } from 'node:crypto'
import type { FastifyReply } from 'fastify'
import type { DirectoryUser, TenantState } from '../state/directory.js'
import type { ApplicationSeed } from '../state/seed.js'
import type { ErrorTrace, OAuthError } from './oauth-errors.js'

/**
 * The emulator's sign-in pages: small, accessible HTML with one form per step and no script (except the form_post
 * page, which must submit itself). Labels name the user, so tests and screen readers find "Megan Bowen" by role.
 */

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f2f2f2;color:#1b1b1b}
main{max-width:28rem;margin:3rem auto;background:#fff;padding:2rem;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.5rem;margin:0 0 .5rem}ul{list-style:none;padding:0;margin:1rem 0}li{margin:.5rem 0}
button{width:100%;text-align:left;padding:.75rem;border:1px solid #8a8886;background:#fff;font:inherit;cursor:pointer}
button:hover,button:focus{background:#f3f2f1;outline:2px solid #0067b8}.upn,.roles{display:block;font-size:.875rem;color:#484644}
.notice{border-left:4px solid #a80000;padding:.5rem 1rem;background:#fde7e9}.trace{font-size:.75rem;color:#605e5c;word-break:break-all}`

/** The account picker: one button per member of the tenant (or tenants, for a multi-tenant app) who may sign in. */
export function accountPickerPage(input: {
  tenant: TenantState
  client: ApplicationSeed
  users: DirectoryUser[]
  ctx: string
  notice: string | null
  /** Where the picked account is posted. @default `/{tenant}/login` */
  action?: string
  /** What the page says the account belongs to. @default the tenant's display name */
  directoryName?: string
}): string {
  const { tenant, client, users, ctx, notice } = input
  const action = input.action ?? `/${tenant.id}/login`
  const items = users
    .map((user) => {
      const roles = [...user.directoryRoles, ...user.appRoles]
      const rolesId = `roles-${user.id}`
      return `<li><button type="submit" name="user" value="${escapeHtml(user.id)}" aria-describedby="${rolesId}">
<span class="name">${escapeHtml(user.displayName)}</span><span class="upn">${escapeHtml(user.userPrincipalName)}</span>
<span class="roles" id="${rolesId}">Roles: ${escapeHtml(roles.length ? roles.join(', ') : 'none')}${user.requiresMfa ? ' · MFA required' : ''}</span></button></li>`
    })
    .join('\n')
  return page(
    'Sign in to your account',
    `<h1 id="title">Pick an account</h1>
<p>to continue to <strong>${escapeHtml(client.displayName)}</strong> (${escapeHtml(input.directoryName ?? tenant.displayName)})</p>
${notice ? `<p class="notice" role="alert">${escapeHtml(notice)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="ctx" value="${escapeHtml(ctx)}">
<ul aria-labelledby="title">
${items}
</ul>
</form>`,
  )
}

/** The second step for users under a "require MFA" policy, or when the app sent a claims challenge. */
export function mfaPage(input: { tenant: TenantState; user: DirectoryUser; ctx: string }): string {
  const { tenant, user, ctx } = input
  return page(
    'Approve sign in request',
    `<h1>Approve sign in request</h1>
<p>${escapeHtml(user.userPrincipalName)}</p>
<p>Your organization requires multi-factor authentication for this sign-in.</p>
<form method="post" action="/${escapeHtml(tenant.id)}/login/mfa">
<input type="hidden" name="ctx" value="${escapeHtml(ctx)}">
<button type="submit">Approve sign-in (MFA)</button>
</form>`,
  )
}

/** Entra's "Sorry, but we're having trouble signing you in" page, for errors that cannot go back to the app. */
export function errorPage(error: OAuthError, trace: ErrorTrace): string {
  return page(
    'Sign in to your account',
    `<h1>Sign in</h1>
<p role="alert">Sorry, but we're having trouble signing you in.</p>
<p class="notice">${escapeHtml(error.message)}</p>
<p class="trace">Request Id: ${escapeHtml(trace.traceId)}<br>Correlation Id: ${escapeHtml(trace.correlationId)}<br>Timestamp: ${escapeHtml(trace.timestamp)}</p>`,
  )
}

/** The page shown after sign-out when no registered `post_logout_redirect_uri` was given. */
export function signedOutPage(): string {
  return page(
    'Sign out',
    `<h1>You signed out of your account</h1>
<p>It's a good idea to close all browser windows.</p>`,
  )
}

/** `response_mode=form_post`: a page that posts the response parameters to the redirect URI. */
export function formPostPage(action: string, fields: Record<string, string>, scriptNonce: string): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n')
  return page(
    'Working...',
    `<form method="post" name="hiddenform" action="${escapeHtml(action)}">
${inputs}
<noscript><p>Script is disabled. Click Submit to continue.</p><button type="submit">Submit</button></noscript>
</form>
<script nonce="${scriptNonce}">document.forms.hiddenform.submit()</script>`,
  )
}

/**
 * Sends a sign-in page with the headers Entra's pages carry: never cached, never framed, and a
 * Cross-Origin-Opener-Policy, which Microsoft Entra enables by default (MSAL.js v5 expects it: popups reach their
 * opener through MSAL's redirect bridge, not `window.opener`).
 */
export function sendPage(
  reply: FastifyReply,
  status: number,
  html: string,
  options: { formAction?: string; scriptNonce?: string } = {},
): FastifyReply {
  const formAction = options.formAction ? `'self' ${options.formAction}` : "'self'"
  const script = options.scriptNonce ? `'nonce-${options.scriptNonce}'` : "'none'"
  return reply
    .code(status)
    .header('Cache-Control', 'no-store, no-cache')
    .header('Pragma', 'no-cache')
    .header('X-Frame-Options', 'DENY')
    .header('Cross-Origin-Opener-Policy', 'same-origin')
    .header('Referrer-Policy', 'no-referrer')
    .header(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'unsafe-inline'; script-src ${script}; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    )
    .type('text/html; charset=utf-8')
    .send(html)
}

/** A fresh nonce for the one inline script of the form_post page. */
export function newScriptNonce(): string {
  return randomBytes(16).toString('base64')
}

/** A whole sign-in page: the shared head, style and `<main>` around `body`. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
${body}
</main></body>
</html>`
}

// Every attribute here is double-quoted, so `'` needs no escaping (and AADSTS messages stay readable).
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`)
}
