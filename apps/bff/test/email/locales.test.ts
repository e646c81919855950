import { describe, expect, it } from 'vitest'
import {
  acceptLanguageTags,
  emailLocales,
  type InvitationStrings,
  invitationStrings,
  resolveEmailLocale,
} from '../../src/email/locales.js'

describe('resolveEmailLocale (RFC 4647 lookup over en, de, fr, ja, ar)', () => {
  it.each([
    ['de-AT', 'de'],
    ['DE-at', 'de'],
    ['de_CH', 'de'],
    ['fr-CA', 'fr'],
    ['ja-JP', 'ja'],
    ['ar-EG', 'ar'],
    ['ar-u-nu-latn', 'ar'],
    ['de-x-private', 'de'],
    ['en-GB', 'en'],
    ['ja', 'ja'],
  ])('%s → %s', (requested, expected) => {
    expect(resolveEmailLocale(requested)).toBe(expected)
  })

  it.each([['sv-SE'], ['zh-Hant-TW'], ['x-klingon'], ['*'], ['not a tag!'], [''], ['d'], ['a'.repeat(200)]])(
    'falls back to en for %j',
    (requested) => {
      expect(resolveEmailLocale(requested)).toBe('en')
    },
  )

  it('falls back to en for nothing at all', () => {
    expect(resolveEmailLocale(null)).toBe('en')
    expect(resolveEmailLocale(undefined)).toBe('en')
    expect(resolveEmailLocale([])).toBe('en')
  })

  it('takes the first tag of a preference list that matches a language', () => {
    expect(resolveEmailLocale(['sv', 'fr-BE', 'de'])).toBe('fr')
    expect(resolveEmailLocale(['nonsense!', 'ar'])).toBe('ar')
  })
})

describe('acceptLanguageTags', () => {
  it('orders the tags by weight, then by position, leaving out * and q=0', () => {
    expect(acceptLanguageTags('sv, de-CH;q=0.9, en;q=0.8')).toEqual(['sv', 'de-CH', 'en'])
    expect(acceptLanguageTags('en;q=0.5, ja;q=0.9, fr;q=0.9, *;q=0.1, de;q=0')).toEqual(['ja', 'fr', 'en'])
    expect(acceptLanguageTags(' ar-EG ; Q=1 ,en')).toEqual(['ar-EG', 'en'])
    expect(acceptLanguageTags('de;q=x')).toEqual([])
    expect(acceptLanguageTags(undefined)).toEqual([])
  })

  it('reads at most 20 ranges of a long header', () => {
    const header = [...Array.from({ length: 20 }, (_, index) => `x-lang${index}`), 'de'].join(',')
    expect(acceptLanguageTags(header)).toHaveLength(20)
    expect(resolveEmailLocale(acceptLanguageTags(header))).toBe('en')
  })

  it('gives resolveEmailLocale what the reader prefers', () => {
    expect(resolveEmailLocale(acceptLanguageTags('sv-SE,sv;q=0.9,de-AT;q=0.7,en;q=0.8'))).toBe('en')
    expect(resolveEmailLocale(acceptLanguageTags('sv-SE,sv;q=0.9,de-AT;q=0.85,en;q=0.8'))).toBe('de')
  })
})

/** Each field's placeholders (a variant set's are keyed `subject.app` and so on). */
function placeholders(strings: InvitationStrings): Record<string, string[]> {
  const fields: Record<string, string[]> = {}
  const add = (key: string, text: string) => {
    fields[key] = [...text.matchAll(/\{([a-z]+)\}/g)].map((match) => match[1] ?? '').sort()
  }
  for (const [key, value] of Object.entries(strings) as [string, string | Record<string, string>][]) {
    if (typeof value === 'string') add(key, value)
    else for (const [variant, text] of Object.entries(value)) add(`${key}.${variant}`, text)
  }
  return fields
}

describe('the translations', () => {
  it('cover every language with the fields and placeholders of the English wording', () => {
    expect(Object.keys(invitationStrings).sort()).toEqual([...emailLocales].sort())
    const english = placeholders(invitationStrings.en)
    for (const locale of emailLocales)
      expect({ locale, fields: placeholders(invitationStrings[locale]) }).toEqual({ locale, fields: english })
  })

  it('hold no stray braces (a mistyped placeholder would be sent as is)', () => {
    for (const locale of emailLocales) {
      const texts = JSON.stringify(invitationStrings[locale]).replace(/\{"|"\}|\{[a-z]+\}|":\{|\},"/g, '')
      expect({ locale, braces: texts.match(/[{}]/g) ?? [] }).toEqual({ locale, braces: [] })
    }
  })

  it('write only Arabic right-to-left', () => {
    for (const locale of emailLocales)
      expect({ locale, dir: invitationStrings[locale].dir }).toEqual({
        locale,
        dir: locale === 'ar' ? 'rtl' : 'ltr',
      })
  })
})
