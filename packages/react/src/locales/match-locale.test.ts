import { describe, expect, it } from 'vitest'
import { matchLocale } from './match-locale.js'

const packs = ['de', 'fr', 'ja', 'ar', 'zh-Hant', 'en']

describe('matchLocale (BCP 47 lookup)', () => {
  it('falls back from a region to its language: de-AT takes de, and keeps de-AT for formatting', () => {
    expect(matchLocale(['de-AT'], packs)).toEqual({ index: 0, tag: 'de-AT' })
  })

  it('compares tags canonically, case aside, and maps deprecated codes', () => {
    expect(matchLocale(['FR-ca'], packs)).toEqual({ index: 1, tag: 'fr-CA' })
    expect(matchLocale(['iw'], ['he'])).toEqual({ index: 0, tag: 'he' })
  })

  it('tries the longest prefix first and drops a singleton left dangling', () => {
    expect(matchLocale(['zh-Hant-TW'], packs)).toEqual({ index: 4, tag: 'zh-Hant-TW' })
    expect(matchLocale(['ja-JP-u-ca-japanese'], packs)).toEqual({ index: 2, tag: 'ja-JP-u-ca-japanese' })
    expect(matchLocale(['ar-x-private'], packs)).toEqual({ index: 3, tag: 'ar-x-private' })
  })

  it('follows the order of preference: the first requested language any pack serves wins', () => {
    expect(matchLocale(['pt-BR', 'ja', 'de'], packs)).toEqual({ index: 2, tag: 'ja' })
  })

  it('never widens a pack: pt does not take pt-BR', () => {
    expect(matchLocale(['pt'], ['pt-BR'])).toBeNull()
  })

  it('skips what is not a language tag, and answers null when nothing matches', () => {
    expect(matchLocale(['', '*', 'en_US', 'de'], packs)).toEqual({ index: 0, tag: 'de' })
    expect(matchLocale(['pt-BR', 'es'], packs)).toBeNull()
    expect(matchLocale([], packs)).toBeNull()
  })
})
