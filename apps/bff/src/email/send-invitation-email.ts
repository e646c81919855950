import type { InvitationRecord } from '../invitations/types.js'
import type { InvitationMailer } from './types.js'

/** A pino-compatible logger's `warn`. */
interface WarnLogger {
  warn(details: object, message: string): void
}

/**
 * Sends the BFF's own invitation email (email mode `smtp`) for a recorded invitation, from a single invite or a
 * bulk row alike. Never throws: a failure is logged and answered `false` (the redeem URL stays on the record, and a
 * resend tries again).
 *
 * @example
 * record.emailSentByBff = await sendInvitationEmail(mailer, record, { name: 'Megan', email: 'megan@contoso.com' }, log)
 */
export async function sendInvitationEmail(
  mailer: InvitationMailer | undefined,
  record: InvitationRecord,
  inviter: { name: string | null; email: string | null },
  logger: WarnLogger,
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
