import { createTransport } from 'nodemailer'
import type { SmtpConfig } from '../config.js'
import { type NotificationEmail, renderNotification } from './notification-template.js'

/** Sends the governance notifications (email mode `smtp`). Throws on delivery failure; callers log it. */
export interface NotificationMailer {
  send(email: NotificationEmail): Promise<void>
  close(): Promise<void>
}

/**
 * The governance notifications over SMTP, from `smtp.from`, branded and localized as the invitation email
 * (`renderNotification`): one `multipart/alternative` message with `Content-Language`.
 *
 * @example
 * const notifications = createNotificationMailer(config.smtp)
 * await notifications.send({ kind: 'expiring', to: 'megan@contoso.example', recipientName: 'Megan Bowen',
 *   guest: { name: 'Ada', email: 'ada@fabrikam.example' }, dueAt: '2027-01-31T00:00:00Z' })
 */
export function createNotificationMailer(smtp: SmtpConfig): NotificationMailer {
  const transport = createTransport(smtp.url)
  return {
    async send(email) {
      const { locale, subject, text, html } = renderNotification(email, smtp.branding)
      await transport.sendMail({
        from: smtp.from,
        to: email.to,
        subject,
        text,
        html,
        headers: { 'Content-Language': locale },
      })
    },
    async close() {
      transport.close()
    },
  }
}
