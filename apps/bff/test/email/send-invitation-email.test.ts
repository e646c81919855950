import { afterEach, describe, expect, it } from 'vitest'
import { createInvitationMailer } from '../../src/email/invitation-mailer.js'
import { sendInvitationEmail } from '../../src/email/send-invitation-email.js'
import type { InvitationEmail, InvitationMailer } from '../../src/email/types.js'
import { makeGuest, makeInvitation } from '../invitations/fixtures.js'
import { decodedHeader, mimeParts, type SmtpSink, startSmtpSink } from './smtp-sink.js'

class RecordingMailer implements InvitationMailer {
  readonly sent: InvitationEmail[] = []
  failWith: Error | null = null
  async send(email: InvitationEmail): Promise<void> {
    if (this.failWith) throw this.failWith
    this.sent.push(email)
  }
  async close(): Promise<void> {}
}

class RecordingLogger {
  readonly warnings: { details: object; message: string }[] = []
  warn(details: object, message: string): void {
    this.warnings.push({ details, message })
  }
}

const inviter = { name: 'Megan Bowen', email: 'megan@contoso.example' }

describe('sendInvitationEmail', () => {
  let sink: SmtpSink | undefined
  afterEach(async () => {
    await sink?.close()
    sink = undefined
  })

  it("gives the mailer the record, the inviter, the request's language and the redirect URL as the app's", async () => {
    const record = makeInvitation(makeGuest({ displayName: 'Ada Lovelace' }))
    const mailer = new RecordingMailer()

    expect(
      await sendInvitationEmail(mailer, record, inviter, new RecordingLogger(), { locale: 'de-AT' }),
    ).toBe(true)
    expect(mailer.sent).toEqual([
      {
        to: record.invitedUserEmailAddress,
        guestDisplayName: 'Ada Lovelace',
        inviterName: 'Megan Bowen',
        inviterEmail: 'megan@contoso.example',
        inviteRedeemUrl: record.inviteRedeemUrl,
        message: 'Welcome to Apollo.',
        locale: 'de-AT',
        appUrl: 'https://apps.contoso.example/welcome',
      },
    ])
  })

  it('leaves the language to the fallback when the caller names none', async () => {
    const mailer = new RecordingMailer()
    await sendInvitationEmail(mailer, makeInvitation(makeGuest()), inviter, new RecordingLogger())

    expect(mailer.sent[0]?.locale).toBeNull()
  })

  it('answers false without sending when there is no mailer or no redeem URL, and logs a failure', async () => {
    const logger = new RecordingLogger()
    const mailer = new RecordingMailer()
    expect(await sendInvitationEmail(undefined, makeInvitation(makeGuest()), inviter, logger)).toBe(false)
    expect(
      await sendInvitationEmail(
        mailer,
        makeInvitation(makeGuest(), { inviteRedeemUrl: null }),
        inviter,
        logger,
      ),
    ).toBe(false)
    expect(mailer.sent).toEqual([])

    mailer.failWith = new Error('550 Mailbox unavailable')
    const record = makeInvitation(makeGuest())
    expect(await sendInvitationEmail(mailer, record, inviter, logger)).toBe(false)
    expect(logger.warnings).toEqual([
      {
        details: { invitationId: record.id, err: mailer.failWith },
        message: 'The invitation email could not be sent; the redeem URL is in the answer.',
      },
    ])
  })

  it('sends the branded email in the chosen language over SMTP', async () => {
    sink = await startSmtpSink()
    const mailer = createInvitationMailer({
      url: sink.url,
      from: 'Contoso <invites@contoso.example>',
      branding: { appName: 'Contoso Projects' },
    })
    const record = makeInvitation(makeGuest({ displayName: 'Ada Lovelace' }))
    try {
      expect(
        await sendInvitationEmail(mailer, record, inviter, new RecordingLogger(), {
          locale: ['sv', 'fr-FR'],
        }),
      ).toBe(true)
    } finally {
      await mailer.close()
    }

    const raw = sink.messages[0]?.raw ?? ''
    expect(decodedHeader(raw, 'subject')).toBe('Megan Bowen vous invite à rejoindre Contoso Projects')
    const text = mimeParts(raw).find((part) => part.contentType === 'text/plain')?.body ?? ''
    expect(text).toContain(
      'Une fois l’invitation acceptée, vous pourrez accéder à Contoso Projects à tout moment à cette adresse\u00a0:\nhttps://apps.contoso.example/welcome\n',
    )
  })
})
