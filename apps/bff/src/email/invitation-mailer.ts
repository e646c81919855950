import { createTransport } from 'nodemailer'
import type { SmtpConfig } from '../config.js'
import { renderInvitation } from './invitation-template.js'
import type { InvitationEmail, InvitationMailer } from './types.js'

/** Raised when the SMTP server does not accept the invitation email; `cause` holds nodemailer's error. */
export class InvitationEmailError extends Error {
  override name = 'InvitationEmailError'
}

/**
 * The BFF's own invitation email over SMTP (email mode `smtp`, when Microsoft's is suppressed): one
 * `multipart/alternative` message with a plain-text and an HTML part, from `smtp.from` to the guest, in the language
 * `email.locale` asks for (`Content-Language` says which) and branded by `smtp.branding` (see `renderInvitation`).
 * `send` rejects with an {@link InvitationEmailError} naming the recipient and the server's reason.
 *
 * @example
 * const mailer = createInvitationMailer({ url: 'smtp://mail.contoso.example:587', from: 'Contoso <invites@contoso.example>',
 *   branding: { appName: 'Contoso Projects', brandColor: '#8a2be2' } })
 * await mailer.send({ to: 'ada@fabrikam.example', guestDisplayName: 'Ada', inviterName: 'Megan Bowen',
 *   inviterEmail: 'megan@contoso.example', inviteRedeemUrl, message: null, locale: 'de-AT', appUrl: redirectUrl })
 * await mailer.close()
 */
export function createInvitationMailer(smtp: SmtpConfig): InvitationMailer {
  const transport = createTransport(smtp.url)
  return {
    async send(email: InvitationEmail): Promise<void> {
      // The link is the email's call to action: never let anything but a web address become one.
      if (!/^https?:\/\//i.test(email.inviteRedeemUrl)) {
        throw new InvitationEmailError(
          `The invitation email to ${email.to} was not sent: the redeem URL is not an http(s) address.`,
        )
      }
      const { locale, subject, text, html } = renderInvitation(email, smtp.branding)
      try {
        await transport.sendMail({
          from: smtp.from,
          to: email.to,
          subject,
          text,
          html,
          headers: { 'Content-Language': locale },
        })
      } catch (error) {
        throw new InvitationEmailError(
          `The invitation email to ${email.to} was not accepted by the SMTP server: ${(error as Error).message}`,
          { cause: error },
        )
      }
    },
    async close(): Promise<void> {
      transport.close()
    },
  }
}
