import { describe, expect, it } from 'vitest'
import { emailLocales } from '../../src/email/locales.js'
import {
  type NotificationEmail,
  notificationStrings,
  renderNotification,
} from '../../src/email/notification-template.js'

const placeholders = (text: string) => [...text.matchAll(/\{[a-z]+\}/g)].map(([match]) => match).sort()

const review: NotificationEmail = {
  kind: 'reviewRequested',
  to: 'megan@contoso.example',
  recipientName: 'Megan Bowen',
  guest: { name: 'Ada <b>Lovelace</b>', email: 'ada@fabrikam.example' },
  dueAt: '2027-01-15T09:00:00.000Z',
  reviewDefault: 'remove',
}

describe('governance notifications (email mode smtp)', () => {
  it('every language says every sentence with the placeholders English has', () => {
    for (const locale of emailLocales) {
      for (const [key, english] of Object.entries(notificationStrings.en)) {
        expect(placeholders(String(notificationStrings[locale][key as 'open'])), `${locale}.${key}`).toEqual(
          placeholders(String(english)),
        )
      }
    }
  })

  it('is branded, localized and escaped: German review request, Arabic right to left', () => {
    const branding = { appName: 'Contoso Projects', appUrl: 'https://app.contoso.example/guests' }
    const german = renderNotification({ ...review, locale: 'de-AT' }, branding)
    expect(german.locale).toBe('de')
    expect(german.subject).toBe(
      'Bitte überprüfen Sie den Gastzugang von Ada <b>Lovelace</b> (ada@fabrikam.example)',
    )
    expect(german.text).toContain('15. Januar 2027')
    expect(german.text).toContain('Ohne Antwort wird der Zugang entfernt.')
    expect(german.html).toContain('<bdi>Ada &lt;b&gt;Lovelace&lt;/b&gt; (ada@fabrikam.example)</bdi>')
    expect(german.html).toContain(
      '>Contoso Projects öffnen</a>'.replace('Contoso Projects', '<bdi>Contoso Projects</bdi>'),
    )
    expect(german.html).not.toContain('<b>Lovelace')

    const arabic = renderNotification({ ...review, kind: 'expiring', locale: 'ar' }, branding)
    expect(arabic.html).toContain('<html dir="rtl" lang="ar">')
    expect(arabic.subject).toContain('\u2068Ada <b>Lovelace</b> (ada@fabrikam.example)\u2069')
  })
})
