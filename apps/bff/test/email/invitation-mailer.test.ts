import { afterEach, describe, expect, it } from 'vitest'
import type { EmailBranding } from '../../src/email/branding.js'
import { createInvitationMailer, InvitationEmailError } from '../../src/email/invitation-mailer.js'
import { renderInvitation } from '../../src/email/invitation-template.js'
import { emailLocales } from '../../src/email/locales.js'
import type { InvitationEmail } from '../../src/email/types.js'
import {
  decodedHeader,
  type MimePart,
  mimeParts,
  type SmtpSink,
  startSmtpSink,
  topHeader,
} from './smtp-sink.js'

const REDEEM_URL =
  'https://login.microsoftonline.com/redeem?rd=https%3a%2f%2finvitations.microsoft.com%2fredeem%2f%3ftenant%3dc0de0000%26user%3d1234%26ticket%3dAbC%252bdEf%26ver%3d2.0&x=1'
const FROM = 'Contoso invitations <invites@contoso.example>'
const APP_URL = 'https://contoso.crm4.dynamics.com/'
const branding: EmailBranding = {
  appName: 'Contoso Projects',
  logoUrl: 'https://cdn.contoso.example/brand/logo.png',
  brandColor: '#8a2be2',
  appUrl: APP_URL,
}

const hostile =
  'Hi! <script>alert("x")</script> see <a href="https://evil.example/login">your files</a> & https://evil.example/'

function invitation(overrides: Partial<InvitationEmail> = {}): InvitationEmail {
  return {
    to: 'ada@fabrikam.example',
    guestDisplayName: 'Ada Lovelace',
    inviterName: 'Megan Bowen',
    inviterEmail: 'megan@contoso.example',
    inviteRedeemUrl: REDEEM_URL,
    message: 'Welcome to Project Apollo.\nSee you on Monday.',
    ...overrides,
  }
}

function part(parts: MimePart[], contentType: string): string {
  const found = parts.find((candidate) => candidate.contentType === contentType)
  expect(found, `a ${contentType} part`).toBeDefined()
  return found?.body ?? ''
}

describe('createInvitationMailer (real SMTP sink on 127.0.0.1)', () => {
  let sink: SmtpSink | undefined
  afterEach(async () => {
    await sink?.close()
    sink = undefined
  })

  async function sendThrough(email: InvitationEmail, brand?: Partial<EmailBranding>) {
    sink?.messages.splice(0)
    sink ??= await startSmtpSink()
    const mailer = createInvitationMailer({
      url: sink.url,
      from: FROM,
      ...(brand ? { branding: brand } : {}),
    })
    try {
      await mailer.send(email)
    } finally {
      await mailer.close()
    }
    expect(sink.messages).toHaveLength(1)
    return sink.messages[0] as NonNullable<SmtpSink['messages'][number]>
  }

  it('sends one multipart/alternative message with a text and an HTML part to the guest', async () => {
    const message = await sendThrough(invitation())

    expect(message.from).toBe('invites@contoso.example')
    expect(message.to).toEqual(['ada@fabrikam.example'])
    expect(topHeader(message.raw, 'subject')).toBe('Megan Bowen invited you to collaborate')
    expect(topHeader(message.raw, 'content-type')).toMatch(/^multipart\/alternative;/)
    expect(topHeader(message.raw, 'content-language')).toBe('en')
    const parts = mimeParts(message.raw)
    expect(parts.map((candidate) => candidate.contentType)).toEqual(['text/plain', 'text/html'])

    const text = part(parts, 'text/plain')
    expect(text).toContain('Hello Ada Lovelace,')
    expect(text).toContain('Megan Bowen (megan@contoso.example) invited you to collaborate as a guest.')
    expect(text).toContain('Welcome to Project Apollo.\nSee you on Monday.')
    expect(text.split('\n')).toContain(REDEEM_URL)

    const html = part(parts, 'text/html')
    expect(html).toContain('<html dir="ltr" lang="en">')
    expect(html).toContain('<p>Hello <bdi>Ada Lovelace</bdi>,</p>')
    expect(html).toContain(
      '<bdi>Megan Bowen</bdi> (<bdi>megan@contoso.example</bdi>) invited you to collaborate as a guest.',
    )
    expect(html).toContain('Welcome to Project Apollo.<br>\nSee you on Monday.')
  })

  it.each(emailLocales)(
    'carries the %s email over SMTP as rendered: subject, text part and HTML part',
    async (locale) => {
      const email = invitation({ locale })
      const rendered = renderInvitation(email, branding)
      const message = await sendThrough(email, branding)

      expect(rendered.locale).toBe(locale)
      expect(decodedHeader(message.raw, 'subject')).toBe(rendered.subject)
      expect(topHeader(message.raw, 'content-language')).toBe(locale)
      const parts = mimeParts(message.raw)
      expect(parts.map((candidate) => candidate.contentType)).toEqual(['text/plain', 'text/html'])
      // The decoder leaves a part's last line break to the boundary when the part is sent unencoded (7bit).
      const lastBreakOff = (body: string) => body.replace(/\n$/, '')
      expect(lastBreakOff(part(parts, 'text/plain'))).toBe(lastBreakOff(rendered.text))
      expect(lastBreakOff(part(parts, 'text/html'))).toBe(lastBreakOff(rendered.html))
    },
  )

  it('sends an Arabic email right-to-left, in Arabic, with the branding', async () => {
    const message = await sendThrough(invitation({ locale: 'ar-SA' }), branding)
    const parts = mimeParts(message.raw)
    const text = part(parts, 'text/plain')
    const html = part(parts, 'text/html')

    expect(decodedHeader(message.raw, 'subject')).toBe(
      'دعوة من \u2068Megan Bowen\u2069 للانضمام إلى \u2068Contoso Projects\u2069',
    )
    expect(text).toContain('لقد تلقيت دعوة من \u2068Megan Bowen\u2069 (\u2068megan@contoso.example\u2069)')
    expect(text.split('\n')).toContain(REDEEM_URL)
    expect(text.split('\n')).toContain(APP_URL)
    expect(html).toContain('<html dir="rtl" lang="ar">')
    expect(html).toContain('>قبول الدعوة</a>')
    expect(html).toContain('<img src="https://cdn.contoso.example/brand/logo.png" alt="Contoso Projects"')
    expect(html).toContain('background:#8a2be2;color:#ffffff;')
  })

  it('makes the exact redeem URL the one link of the HTML part, the app URL the only other when there is one', async () => {
    const hrefsOf = (message: NonNullable<SmtpSink['messages'][number]>) =>
      [...part(mimeParts(message.raw), 'text/html').matchAll(/<a\s[^>]*href="([^"]*)"/g)].map(
        // Attribute values are HTML-escaped: `&amp;` reads back as `&`.
        (match) => match[1]?.replaceAll('&amp;', '&'),
      )

    expect(hrefsOf(await sendThrough(invitation()))).toEqual([REDEEM_URL])
    expect(hrefsOf(await sendThrough(invitation(), branding))).toEqual([REDEEM_URL, APP_URL])
  })

  it('escapes the personal message and every other value in the HTML part: no markup, no links', async () => {
    const message = await sendThrough(
      invitation({ message: hostile, guestDisplayName: '<b>Ada</b>', inviterName: 'Megan "<i>" Bowen' }),
    )
    const parts = mimeParts(message.raw)
    const html = part(parts, 'text/html')

    expect(html).not.toContain('<script')
    expect(html).not.toContain('<a href="https://evil.example')
    expect(html).not.toContain('<b>Ada</b>')
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    expect(html).toContain(
      '&lt;a href=&quot;https://evil.example/login&quot;&gt;your files&lt;/a&gt; &amp; https://evil.example/',
    )
    expect(html).toContain('Hello <bdi>&lt;b&gt;Ada&lt;/b&gt;</bdi>,')
    expect(html).toContain('<bdi>Megan &quot;&lt;i&gt;&quot; Bowen</bdi>')
    expect([...html.matchAll(/<a\s/g)]).toHaveLength(1)
    // The text part carries the message verbatim: plain text cannot run markup.
    expect(part(parts, 'text/plain')).toContain(hostile)
  })

  it('keeps a line break in a display name out of the headers', async () => {
    const message = await sendThrough(invitation({ inviterName: 'Megan\r\nBcc: victim@evil.example' }))

    expect(topHeader(message.raw, 'subject')).toBe(
      'Megan Bcc: victim@evil.example invited you to collaborate',
    )
    expect(topHeader(message.raw, 'bcc')).toBeUndefined()
    expect(message.to).toEqual(['ada@fabrikam.example'])
  })

  it('keeps a line break in a display name out of an encoded (non-ASCII) subject too', async () => {
    const message = await sendThrough(
      invitation({ inviterName: 'Megan\r\nBcc: victim@evil.example', locale: 'ja' }),
      branding,
    )

    expect(decodedHeader(message.raw, 'subject')).toBe(
      'Megan Bcc: victim@evil.example さんから Contoso Projects への招待が届いています',
    )
    expect(topHeader(message.raw, 'bcc')).toBeUndefined()
    expect(message.to).toEqual(['ada@fabrikam.example'])
  })

  it('leaves out the message block and falls back to the inviter address when names are missing', async () => {
    const message = await sendThrough(
      invitation({ message: null, guestDisplayName: null, inviterName: null }),
    )
    const parts = mimeParts(message.raw)

    expect(topHeader(message.raw, 'subject')).toBe('megan@contoso.example invited you to collaborate')
    expect(part(parts, 'text/plain')).toMatch(/^Hello,\n/)
    expect(part(parts, 'text/plain')).not.toContain('Message from')
    expect(part(parts, 'text/html')).not.toContain('<blockquote')
  })

  it('rejects with a clear InvitationEmailError when the server refuses the recipient', async () => {
    sink = await startSmtpSink({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }))
      },
    })
    const mailer = createInvitationMailer({ url: sink.url, from: FROM })

    const failure = await mailer.send(invitation()).catch((error: unknown) => error)
    await mailer.close()

    expect(failure).toBeInstanceOf(InvitationEmailError)
    expect((failure as Error).message).toMatch(
      /^The invitation email to ada@fabrikam\.example was not accepted by the SMTP server: .*550.*Mailbox unavailable/,
    )
    expect((failure as Error).cause).toBeInstanceOf(Error)
    expect(sink.messages).toEqual([])
  })

  it('rejects when no SMTP server answers', async () => {
    sink = await startSmtpSink()
    const url = sink.url
    await sink.close()
    sink = undefined
    const mailer = createInvitationMailer({ url, from: FROM })

    await expect(mailer.send(invitation())).rejects.toThrow(
      /^The invitation email to ada@fabrikam\.example was not accepted by the SMTP server: .*ECONNREFUSED/,
    )
    await mailer.close()
  })

  it('refuses to make anything but an http(s) address the call to action', async () => {
    sink = await startSmtpSink()
    const mailer = createInvitationMailer({ url: sink.url, from: FROM })

    await expect(mailer.send(invitation({ inviteRedeemUrl: 'javascript:alert(1)' }))).rejects.toThrow(
      InvitationEmailError,
    )
    await mailer.close()
    expect(sink.messages).toEqual([])
  })
})
