import { describe, expect, it } from 'vitest'
import type { EmailBranding } from '../../src/email/branding.js'
import { renderInvitation } from '../../src/email/invitation-template.js'
import type { EmailLocale } from '../../src/email/locales.js'
import type { InvitationEmail } from '../../src/email/types.js'

const REDEEM_URL = 'https://login.microsoftonline.com/redeem?rd=https%3a%2f%2finvitations.microsoft.com&x=1'
const APP_URL = 'https://contoso.crm4.dynamics.com/'
const LOGO_URL = 'https://cdn.contoso.example/brand/logo.png'
const FSI = '\u2068'
const PDI = '\u2069'

const branding: EmailBranding = {
  appName: 'Contoso Projects',
  logoUrl: LOGO_URL,
  brandColor: '#8a2be2',
  appUrl: APP_URL,
}

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

/** What a reader sees of an HTML part: tags dropped, entities decoded, whitespace collapsed. */
function visible(html: string): string {
  return html
    .replace(/<br>\n?/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&')
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((match) =>
    (match[1] ?? '').replaceAll('&amp;', '&'),
  )
}

interface Expected {
  locale: EmailLocale
  requested: string
  subject: string
  greeting: string
  intro: string
  messageHeading: string
  acceptPrompt: string
  button: string
  appUrlPrompt: string
  ignore: string
}

// Every sentence as a native reader gets it: inviter known (name and address), app name and URL configured.
const expectations: Expected[] = [
  {
    locale: 'en',
    requested: 'en-GB',
    subject: 'Megan Bowen invited you to Contoso Projects',
    greeting: 'Hello Ada Lovelace,',
    intro: 'Megan Bowen (megan@contoso.example) invited you to Contoso Projects as a guest.',
    messageHeading: 'Message from Megan Bowen:',
    acceptPrompt: 'Accept the invitation:',
    button: 'Accept invitation',
    appUrlPrompt: 'Once you have accepted, you can open Contoso Projects at any time at:',
    ignore: 'If you did not expect this invitation, you can ignore this email.',
  },
  {
    locale: 'de',
    requested: 'de-AT',
    subject: 'Megan Bowen hat Sie zu Contoso Projects eingeladen',
    greeting: 'Guten Tag Ada Lovelace,',
    intro: 'Megan Bowen (megan@contoso.example) hat Sie als Gast zu Contoso Projects eingeladen.',
    messageHeading: 'Nachricht von Megan Bowen:',
    acceptPrompt: 'Hier können Sie die Einladung annehmen:',
    button: 'Einladung annehmen',
    appUrlPrompt: 'Nach der Annahme erreichen Sie Contoso Projects jederzeit unter dieser Adresse:',
    ignore: 'Falls Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren.',
  },
  {
    locale: 'fr',
    requested: 'fr-CA',
    subject: 'Megan Bowen vous invite à rejoindre Contoso Projects',
    greeting: 'Bonjour Ada Lovelace,',
    intro:
      'Megan Bowen (megan@contoso.example) vous invite à rejoindre Contoso Projects avec un accès invité.',
    messageHeading: 'Megan Bowen a écrit\u00a0:',
    acceptPrompt: 'Pour accepter l’invitation, ouvrez cette adresse\u00a0:',
    button: 'Accepter l’invitation',
    appUrlPrompt:
      'Une fois l’invitation acceptée, vous pourrez accéder à Contoso Projects à tout moment à cette adresse\u00a0:',
    ignore: 'Si vous n’attendiez pas cette invitation, vous pouvez ignorer cet e-mail.',
  },
  {
    locale: 'ja',
    requested: 'ja-JP',
    subject: 'Megan Bowen さんから Contoso Projects への招待が届いています',
    greeting: 'Ada Lovelace 様',
    intro:
      'Megan Bowen さん（megan@contoso.example）から、ゲストとして Contoso Projects に参加するための招待が届いています。',
    messageHeading: 'Megan Bowen さんからのメッセージ：',
    acceptPrompt: '招待を承諾するには、次のアドレスを開いてください：',
    button: '招待を承諾する',
    appUrlPrompt: '承諾後は、次のアドレスからいつでも Contoso Projects を開くことができます：',
    ignore: 'この招待に心当たりがない場合は、このメールを無視してください。',
  },
  {
    locale: 'ar',
    requested: 'ar-EG',
    subject: 'دعوة من Megan Bowen للانضمام إلى Contoso Projects',
    greeting: 'مرحبًا Ada Lovelace،',
    intro: 'لقد تلقيت دعوة من Megan Bowen (megan@contoso.example) للانضمام إلى Contoso Projects بصفة ضيف.',
    messageHeading: 'رسالة من Megan Bowen:',
    acceptPrompt: 'لقبول الدعوة، يُرجى فتح هذا العنوان:',
    button: 'قبول الدعوة',
    appUrlPrompt: 'بعد قبول الدعوة، يمكنك فتح Contoso Projects في أي وقت من خلال هذا العنوان:',
    ignore: 'إذا لم تكن هذه الدعوة متوقعة، فيمكنك تجاهل هذه الرسالة.',
  },
]

/** The text as read, without the directional isolates the right-to-left parts add around values. */
const withoutIsolates = (text: string) => text.replaceAll(FSI, '').replaceAll(PDI, '')

describe('renderInvitation: the language the request chose', () => {
  it.each(expectations)('writes subject, text and HTML in $locale (asked for $requested)', (expected) => {
    const rendered = renderInvitation(invitation({ locale: expected.requested }), branding)

    expect(rendered.locale).toBe(expected.locale)
    expect(withoutIsolates(rendered.subject)).toBe(expected.subject)
    expect(withoutIsolates(rendered.text)).toBe(
      [
        expected.greeting,
        '',
        expected.intro,
        '',
        expected.messageHeading,
        'Welcome to Project Apollo.',
        'See you on Monday.',
        '',
        expected.acceptPrompt,
        REDEEM_URL,
        '',
        expected.appUrlPrompt,
        APP_URL,
        '',
        expected.ignore,
        '',
      ].join('\n'),
    )
    const html = visible(rendered.html)
    for (const sentence of [
      expected.greeting,
      expected.intro,
      expected.messageHeading,
      expected.button,
      expected.appUrlPrompt,
      expected.ignore,
    ])
      expect(html).toContain(sentence)
    expect(visible(rendered.html.match(/<title>[^<]*<\/title>/)?.[0] ?? '')).toBe(rendered.subject)
    if (expected.locale !== 'en')
      expect(rendered.text + rendered.html).not.toMatch(/invit(ed|ation) (you|to)/)
  })

  it('marks the HTML part right-to-left for Arabic and left-to-right for every other language', () => {
    for (const { locale } of expectations) {
      const { html } = renderInvitation(invitation({ locale }), branding)
      const dir = locale === 'ar' ? 'rtl' : 'ltr'
      expect(html).toContain(`<html dir="${dir}" lang="${locale}">`)
      // Clients that drop <html> (webmail) still get the direction from the content's wrapper.
      expect(html).toContain(`<div dir="${dir}" lang="${locale}"`)
    }
    const { html } = renderInvitation(invitation({ locale: 'ar' }), branding)
    expect(html).toContain('<html dir="rtl" lang="ar">')
    expect(html).toContain('text-align:right')
    expect(html).toContain('border-right:3px solid')
    // The inviter's message keeps its own direction (an English message in an Arabic email).
    expect(html).toContain('<blockquote dir="auto"')
  })

  it('isolates names and addresses in the Arabic subject and text so a Latin value keeps its order', () => {
    const { subject, text } = renderInvitation(invitation({ locale: 'ar' }), branding)

    expect(subject).toBe(`دعوة من ${FSI}Megan Bowen${PDI} للانضمام إلى ${FSI}Contoso Projects${PDI}`)
    expect(text).toContain(`${FSI}Megan Bowen${PDI} (${FSI}megan@contoso.example${PDI})`)
    // Left-to-right languages get no invisible characters.
    expect(renderInvitation(invitation({ locale: 'de' }), branding).text).not.toMatch(/[\u2066-\u2069]/)
  })

  it('falls back to English for a language it is not written in, a malformed tag or none', () => {
    for (const locale of ['sv-SE', 'zh-Hant-TW', 'tlh', 'not a tag!', '', null, undefined, []]) {
      const rendered = renderInvitation(invitation({ locale }), branding)
      expect({ locale, chosen: rendered.locale }).toEqual({ locale, chosen: 'en' })
      expect(rendered.subject).toBe('Megan Bowen invited you to Contoso Projects')
      expect(rendered.html).toContain('<html dir="ltr" lang="en">')
    }
  })

  it('takes the first supported language of an Accept-Language preference list', () => {
    expect(renderInvitation(invitation({ locale: ['sv', 'ja-JP', 'de'] }), branding).subject).toBe(
      'Megan Bowen さんから Contoso Projects への招待が届いています',
    )
  })
})

describe('renderInvitation: what is known about the inviter and the app', () => {
  it('invites "to collaborate" when no app name is configured', () => {
    const rendered = renderInvitation(invitation(), { ...branding, appName: null })

    expect(rendered.subject).toBe('Megan Bowen invited you to collaborate')
    expect(rendered.text).toContain(
      'Megan Bowen (megan@contoso.example) invited you to collaborate as a guest.',
    )
    expect(rendered.text).toContain('Once you have accepted, you can open the app at any time at:')
    expect(renderInvitation(invitation({ locale: 'de' }), {}).subject).toBe(
      'Megan Bowen hat Sie zur Zusammenarbeit eingeladen',
    )
  })

  it('names the inviter by address alone, or not at all, in words that fit', () => {
    const byAddress = renderInvitation(invitation({ inviterName: null, locale: 'ja' }), branding)
    expect(byAddress.subject).toBe('megan@contoso.example さんから Contoso Projects への招待が届いています')
    expect(byAddress.text).toContain('megan@contoso.example さんからのメッセージ：')

    const unknown = renderInvitation(invitation({ inviterName: null, inviterEmail: null }), branding)
    expect(unknown.subject).toBe('Invitation to Contoso Projects')
    expect(unknown.text).toContain('You have been invited to Contoso Projects as a guest.')
    expect(unknown.text).toContain('Personal message:')
    const neither = renderInvitation(invitation({ inviterName: null, inviterEmail: null, locale: 'fr' }), {})
    expect(neither.subject).toBe('Invitation à collaborer')
    expect(neither.text).toContain('Vous avez reçu une invitation à collaborer avec un accès invité.')
  })

  it('greets without a name and leaves out the message block when there is none', () => {
    const rendered = renderInvitation(
      invitation({ guestDisplayName: null, message: null, locale: 'de' }),
      branding,
    )

    expect(rendered.text).toMatch(/^Guten Tag,\n/)
    expect(rendered.text).not.toContain('Nachricht von')
    expect(rendered.html).not.toContain('<blockquote')
  })
})

describe('renderInvitation: branding', () => {
  it('shows the app name, the logo, the brand colour and the app URL', () => {
    const { subject, text, html } = renderInvitation(invitation(), branding)

    expect(subject).toContain('Contoso Projects')
    expect(text).toContain(
      `Once you have accepted, you can open Contoso Projects at any time at:\n${APP_URL}\n`,
    )
    expect(html).toContain(`<img src="${LOGO_URL}" alt="Contoso Projects" height="40"`)
    expect(html).toContain('border-top:4px solid #8a2be2')
    expect(html).toMatch(/<a href="[^"]*" style="display:inline-block;background:#8a2be2;color:#ffffff;/)
    expect(html).toContain(`<a href="${APP_URL}" dir="ltr" style="color:#8a2be2">${APP_URL}</a>`)
    // The redeem URL is the call to action; the app's URL the only other link.
    expect(hrefs(html)).toEqual([REDEEM_URL, APP_URL])
  })

  it('shows the app name as a heading when there is no logo', () => {
    const { html } = renderInvitation(invitation(), { ...branding, logoUrl: null })

    expect(html).not.toContain('<img')
    expect(html).toContain(
      '<p style="margin:0 0 20px;font-size:20px;font-weight:600"><bdi>Contoso Projects</bdi></p>',
    )
  })

  it("writes the button's text black on a light brand colour, and keeps links readable", () => {
    const { html } = renderInvitation(invitation(), { ...branding, brandColor: '#FFD700' })

    expect(html).toContain('background:#ffd700;color:#000000;')
    // Gold on white is unreadable: the link takes the default blue.
    expect(html).toContain(`<a href="${APP_URL}" dir="ltr" style="color:#0f6cbd">`)
  })

  it("points to the invitation's redirect URL unless an app URL is configured", () => {
    const redirect = 'https://apps.contoso.example/projects/apollo'
    expect(renderInvitation(invitation({ appUrl: redirect }), { ...branding, appUrl: null }).text).toContain(
      `at any time at:\n${redirect}\n`,
    )
    expect(renderInvitation(invitation({ appUrl: redirect }), branding).text).toContain(
      `at any time at:\n${APP_URL}\n`,
    )
    const none = renderInvitation(invitation(), { ...branding, appUrl: null })
    expect(none.text).not.toContain('at any time')
    expect(hrefs(none.html)).toEqual([REDEEM_URL])
  })

  it('uses the defaults without branding and leaves out unsafe values', () => {
    const plain = renderInvitation(invitation(), {})
    expect(plain.html).toContain('background:#0f6cbd;color:#ffffff;')
    expect(plain.html).not.toContain('<img')

    const unsafe = renderInvitation(invitation({ appUrl: 'javascript:alert(1)' }), {
      logoUrl: 'http://cdn.contoso.example/logo.png',
      brandColor: 'red;background:url(https://evil.example/x)',
      appUrl: 'data:text/html,<script>alert(1)</script>',
    })
    expect(unsafe.html).not.toContain('<img')
    expect(unsafe.html).not.toContain('evil.example')
    expect(unsafe.html).toContain('border-top:4px solid #0f6cbd')
    expect(unsafe.text).not.toMatch(/javascript:|data:/)
    expect(hrefs(unsafe.html)).toEqual([REDEEM_URL])
  })
})

describe('renderInvitation: every inserted value escaped', () => {
  const hostile =
    'Hi! <script>alert("x")</script> see <a href="https://evil.example/login">your files</a> & https://evil.example/'

  it('HTML-escapes the personal message and keeps its line breaks, in every language', () => {
    for (const { locale } of expectations) {
      const { html, text } = renderInvitation(invitation({ message: `${hostile}\nBye`, locale }), branding)

      expect(html).not.toContain('<script')
      expect(html).not.toContain('<a href="https://evil.example')
      expect(html).toContain(
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; see &lt;a href=&quot;https://evil.example/login&quot;&gt;your files&lt;/a&gt; &amp; https://evil.example/<br>\nBye</blockquote>',
      )
      expect(hrefs(html)).toEqual([REDEEM_URL, APP_URL])
      // Plain text cannot run markup: the text part carries the message as written.
      expect(text).toContain(`${hostile}\nBye`)
    }
  })

  it('HTML-escapes names, addresses, the app name and the URLs', () => {
    const { html } = renderInvitation(
      invitation({
        guestDisplayName: '<b>Ada</b>',
        inviterName: 'Megan "<i>" Bowen',
        inviterEmail: "o'brien&co@contoso.example",
      }),
      {
        ...branding,
        appName: '<img src=x onerror=alert(1)>',
        logoUrl: 'https://cdn.contoso.example/logo.png?a="><script>alert(1)</script>',
      },
    )

    expect(html).not.toMatch(/<(b|i|script)>/)
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('Hello <bdi>&lt;b&gt;Ada&lt;/b&gt;</bdi>,')
    expect(html).toContain(
      '<bdi>Megan &quot;&lt;i&gt;&quot; Bowen</bdi> (<bdi>o&#39;brien&amp;co@contoso.example</bdi>)',
    )
    expect(html).toContain('<bdi>&lt;img src=x onerror=alert(1)&gt;</bdi>')
    expect(html).toContain(
      '<img src="https://cdn.contoso.example/logo.png?a=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" alt="&lt;img src=x onerror=alert(1)&gt;"',
    )
    expect(html).toContain(
      '<title>Megan &quot;&lt;i&gt;&quot; Bowen invited you to &lt;img src=x onerror=alert(1)&gt;</title>',
    )
  })

  it('keeps a line break in a display name out of the subject, in every language', () => {
    for (const { locale } of expectations) {
      const { subject, text } = renderInvitation(
        invitation({ inviterName: 'Megan\r\nBcc: victim@evil.example', locale }),
        { ...branding, appName: 'Contoso\nProjects' },
      )

      expect(subject).not.toMatch(/[\r\n]/)
      expect(withoutIsolates(subject)).toContain('Megan Bcc: victim@evil.example')
      expect(withoutIsolates(subject)).toContain('Contoso Projects')
      // Nor can a name fake a line of the text part.
      expect(text.split('\n').some((line) => line.startsWith('Bcc:'))).toBe(false)
    }
  })

  it('drops other control, line-separator and bidi characters from names', () => {
    const { subject, html } = renderInvitation(
      invitation({
        inviterName: 'Megan\u2028Bowen\u0007 \u202Efdp.exe',
        guestDisplayName: 'Ada\u200B Lovelace',
      }),
      branding,
    )

    expect(subject).toBe('Megan Bowen fdp.exe invited you to Contoso Projects')
    expect(html).toContain('Hello <bdi>Ada Lovelace</bdi>,')
  })
})
