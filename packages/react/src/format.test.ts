import { describe, expect, it } from 'vitest'
import { formatNumber, formatPlural, formatString } from './format.js'
import { ar } from './locales/packs/ar.js'
import { en } from './locales/packs/en.js'
import { ja } from './locales/packs/ja.js'

const everyForm = {
  zero: 'zero {n}',
  one: 'one {n}',
  two: 'two {n}',
  few: 'few {n}',
  many: 'many {n}',
  other: 'other {n}',
}
const forms = (locale: string, counts: number[]) =>
  counts.map((count) => formatPlural(everyForm, count, locale, { n: count }).split(' ')[0])

describe('formatString', () => {
  it('fills placeholders and leaves unknown ones as written', () => {
    expect(formatString('Try again in {seconds} s {unknown}', { seconds: 5 })).toBe(
      'Try again in 5 s {unknown}',
    )
  })
})

describe('formatPlural', () => {
  it("picks the form by the language's plural rules (Intl.PluralRules)", () => {
    const counts = [0, 1, 2, 3, 11, 100]
    expect(forms('en', counts)).toEqual(['other', 'one', 'other', 'other', 'other', 'other'])
    expect(forms('fr', counts)).toEqual(['one', 'one', 'other', 'other', 'other', 'other'])
    expect(forms('ar', counts)).toEqual(['zero', 'one', 'two', 'few', 'many', 'other'])
    expect(forms('ja', counts)).toEqual(['other', 'other', 'other', 'other', 'other', 'other'])
  })

  it('gives Arabic and Japanese other forms than English for the same counts', () => {
    const waiting = (locale: string, pack: typeof en, seconds: number) =>
      formatPlural(pack.share.waiting, seconds, locale, { seconds })
    // English has one form for the countdown; Arabic has a dual, a plural for 3–10 and a singular for 11–99.
    expect([1, 2, 5, 30].map((seconds) => waiting('en', en, seconds))).toEqual([
      'Try again in 1 s',
      'Try again in 2 s',
      'Try again in 5 s',
      'Try again in 30 s',
    ])
    expect([1, 2, 5, 30].map((seconds) => waiting('ar', ar, seconds))).toEqual([
      'إعادة المحاولة بعد ثانية واحدة',
      'إعادة المحاولة بعد ثانيتين',
      'إعادة المحاولة بعد 5 ثوانٍ',
      'إعادة المحاولة بعد 30 ثانية',
    ])
    // English says guest and guests; Japanese counts with 人 and one form.
    const started = (locale: string, pack: typeof en, total: number) =>
      formatPlural(pack.bulk.announceStarted, total, locale, { total })
    expect([1, 2].map((total) => started('en', en, total))).toEqual([
      'Inviting 1 guest.',
      'Inviting 2 guests.',
    ])
    expect([1, 2].map((total) => started('ja', ja, total))).toEqual([
      '1 人のゲストを招待しています。',
      '2 人のゲストを招待しています。',
    ])
  })

  it('uses `other` for a category the text does not give, and a plain string for every number', () => {
    expect(formatPlural({ one: 'one', other: 'other {n}' }, 2, 'ar', { n: 2 })).toBe('other 2')
    expect(formatPlural('{n} s', 1, 'en', { n: 1 })).toBe('1 s')
  })
})

describe('formatNumber', () => {
  it("groups digits as the reader's locale does", () => {
    expect(formatNumber(2000, 'en')).toBe('2,000')
    expect(formatNumber(2000, 'de')).toBe('2.000')
    expect(formatNumber(100000, 'en-IN')).toBe('1,00,000')
  })
})
