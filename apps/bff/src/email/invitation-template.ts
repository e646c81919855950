import type { InvitationEmail } from './types.js'

/** The rendered parts of one invitation email. */
export interface RenderedInvitation {
  subject: string
  text: string
  html: string
}

/**
 * Escapes text for HTML element content and double-quoted attribute values. Every value that reaches the HTML part
 * goes through it: the personal message is written by the inviter and read by someone else.
 *
 * @example
 * escapeHtml('<a href="x">') // '&lt;a href=&quot;x&quot;&gt;'
 */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

/**
 * The subject line: who invited the guest. Control characters (a line break in a display name) become spaces so a
 * name can never start a new header.
 *
 * @example
 * invitationSubject({ inviterName: 'Megan Bowen', … }) // 'Megan Bowen invited you to collaborate'
 */
export function invitationSubject(email: InvitationEmail): string {
  return `${singleLine(inviterLabel(email))} invited you to collaborate`
}

/**
 * The plain-text part: greeting, who invited the guest, the personal message, and the redeem URL on its own line.
 *
 * @example
 * const text = invitationText(email) // '…Accept the invitation:\nhttps://login.microsoftonline.com/redeem?rd=…\n…'
 */
export function invitationText(email: InvitationEmail): string {
  const lines = [
    email.guestDisplayName ? `Hello ${email.guestDisplayName},` : 'Hello,',
    '',
    `${inviterWithAddress(email)} invited you to collaborate as a guest.`,
  ]
  if (email.message) lines.push('', 'Their message:', email.message)
  lines.push(
    '',
    'Accept the invitation:',
    email.inviteRedeemUrl,
    '',
    'If you did not expect this invitation, you can ignore this email.',
  )
  return `${lines.join('\n')}\n`
}

/**
 * The HTML part: the same content, every value escaped, the redeem URL as the only link. The personal message is
 * shown as preformatted text (line breaks kept) and never turned into markup or links.
 *
 * @example
 * const html = invitationHtml(email) // '<!doctype html>…<a href="https://…/redeem?rd=…">Accept invitation</a>…'
 */
export function invitationHtml(email: InvitationEmail): string {
  const greeting = email.guestDisplayName ? `Hello ${escapeHtml(email.guestDisplayName)},` : 'Hello,'
  const message = email.message
    ? `<p style="margin:16px 0 4px">Their message:</p>
<blockquote style="margin:0;padding:8px 12px;border-left:3px solid #8a8886;white-space:pre-wrap">${escapeHtml(email.message)}</blockquote>`
    : ''
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(invitationSubject(email))}</title></head>
<body style="font-family:'Segoe UI',Arial,sans-serif;font-size:15px;color:#242424">
<p>${greeting}</p>
<p>${escapeHtml(inviterWithAddress(email))} invited you to collaborate as a guest.</p>
${message}
<p style="margin:24px 0"><a href="${escapeHtml(email.inviteRedeemUrl)}" style="background:#0f6cbd;color:#fff;padding:10px 16px;border-radius:4px;text-decoration:none">Accept invitation</a></p>
<p style="font-size:13px;color:#616161">If the button does not work, copy this address into your browser:<br>${escapeHtml(email.inviteRedeemUrl)}</p>
<p style="font-size:13px;color:#616161">If you did not expect this invitation, you can ignore this email.</p>
</body>
</html>
`
}

/** Renders subject, text and HTML together. */
export function renderInvitation(email: InvitationEmail): RenderedInvitation {
  return { subject: invitationSubject(email), text: invitationText(email), html: invitationHtml(email) }
}

function inviterLabel(email: InvitationEmail): string {
  return email.inviterName ?? email.inviterEmail ?? 'Someone'
}

function inviterWithAddress(email: InvitationEmail): string {
  const name = inviterLabel(email)
  return email.inviterName && email.inviterEmail ? `${name} (${email.inviterEmail})` : name
}

function singleLine(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()
}
