import type { InvitationRecord } from '../invitations/types.js'
import type { InvitationMailer } from './types.js'

/** A pino-compatible logger's `warn`. */
interface WarnLogger {
  warn(details: object, message: string): void
}

/**
 * Sends the BFF's own invitation email (email mode `smtp`) for a recorded invitation, from a single invite or a
 * bulk row alike. Never throws: a failure is logged and answered `false` (the redeem URL stays on the record, and a
 * resend tries again). The email names the inviter (and their address when known), points the guest to the app at the
 * record's redirect URL (unless `ENTRA_SHARE_EMAIL_APP_URL` names another), and is written in `options.locale`: the
 * request's BCP 47 tag, or the tags of its `Accept-Language` header (`acceptLanguageTags`); absent or unknown, `en`.
 *
 * @example
 * record.emailSentByBff = await sendInvitationEmail(mailer, record, { name: 'Megan', email: 'megan@contoso.com' }, log,
 *   { locale: acceptLanguageTags(request.headers['accept-language']) })
 */
export async function sendInvitationEmail(
  mailer: InvitationMailer | undefined,
  record: InvitationRecord,
  inviter: { name: string | null; email: string | null },
  logger: WarnLogger,
  options: { locale?: string | readonly string[] | null } = {},
): Promise<boolean> {
  // No mailer, or no link to send (a bulk row whose Graph answer was lost: resending it gets one).
  if (!mailer || record.inviteRedeemUrl === null) return false
  try {
    await mailer.send({
      to: record.invitedUserEmailAddress,
      guestDisplayName: record.invitedUserDisplayName,
      inviterName: inviter.name,
      inviterEmail: inviter.email,
      inviteRedeemUrl: record.inviteRedeemUrl,
      message: record.message,
      locale: options.locale ?? null,
      appUrl: record.inviteRedirectUrl,
    })
    return true
  } catch (error) {
    logger.warn(
      { invitationId: record.id, err: error },
      'The invitation email could not be sent; the redeem URL is in the answer.',
    )
    return false
  }
}
