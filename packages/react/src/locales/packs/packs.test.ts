import { clientErrorTraits, problemCodes } from '@entra-share/contracts'
import { describe, expect, it } from 'vitest'
import type { PluralText } from '../../format.js'
import type { LocalePack } from '../LocalePack.js'
import { ar } from './ar.js'
import { de } from './de.js'
import { en } from './en.js'
import { fr } from './fr.js'
import { ja } from './ja.js'

const translations: [tag: string, pack: LocalePack][] = [
  ['de', de],
  ['fr', fr],
  ['ja', ja],
  ['ar', ar],
]
const pluralCategories = ['zero', 'one', 'two', 'few', 'many', 'other']

type Section = { [key: string]: PluralText | Section }

const isPluralForms = (value: Exclude<PluralText, string> | Section): value is Exclude<PluralText, string> =>
  typeof value.other === 'string' && Object.keys(value).every((key) => pluralCategories.includes(key))

/** Every text of a section by its path (`share.errors.rate_limited`); plural forms are one text. */
function texts(section: Section, path: string): Map<string, PluralText> {
  const found = new Map<string, PluralText>()
  for (const [key, value] of Object.entries(section)) {
    if (typeof value === 'string' || isPluralForms(value)) found.set(`${path}.${key}`, value)
    else for (const entry of texts(value, `${path}.${key}`)) found.set(...entry)
  }
  return found
}

const packTexts = (pack: LocalePack) =>
  new Map([
    ...texts(pack.share as unknown as Section, 'share'),
    ...texts(pack.bulk as unknown as Section, 'bulk'),
    ...texts(pack.guests as unknown as Section, 'guests'),
  ])

const forms = (text: PluralText) => (typeof text === 'string' ? { other: text } : text)
const placeholders = (template = '') => [...new Set(template.match(/\{\w+\}/g))].sort()

describe('the English pack', () => {
  it('has a sentence for every problem code of the catalogue and every client code', () => {
    expect(Object.keys(en.share.errors).sort()).toEqual(
      [...problemCodes, ...Object.keys(clientErrorTraits)].sort(),
    )
  })
})

describe.each(translations)('the %s pack', (tag, pack) => {
  const english = packTexts(en)
  const translated = packTexts(pack)

  it('is for its language and direction', () => {
    expect(pack.locale).toBe(tag)
    expect(pack.dir).toBe(tag === 'ar' ? 'rtl' : 'ltr')
  })

  it('has every key of the English pack (share, button, bulk, guests, every error code) and no other', () => {
    expect([...translated.keys()].sort()).toEqual([...english.keys()].sort())
    expect(Object.keys(pack.share.errors).sort()).toEqual(Object.keys(en.share.errors).sort())
    expect(Object.keys(pack.bulk.errors).sort()).toEqual(Object.keys(en.bulk.errors).sort())
  })

  it('keeps the placeholders of the English text', () => {
    const mismatches = [...english].flatMap(([path, text]) => {
      const mine = forms(translated.get(path) ?? '')
      const theirs = forms(text)
      const allowed = placeholders(Object.values(theirs).join(' '))
      // `other` says every placeholder the English `other` says; another form may leave the number out
      // ("ثانيتين", two seconds) but never brings in a placeholder English does not know.
      const wrong = Object.entries(mine).filter(([category, template]) =>
        category === 'other'
          ? placeholders(template).join() !== placeholders(theirs.other).join()
          : placeholders(template).some((name) => !allowed.includes(name)),
      )
      return wrong.map(([category, template]) => `${path}.${category}: ${template}`)
    })
    expect(mismatches).toEqual([])
  })

  it("gives plural forms only for the categories of the language's plural rules", () => {
    const categories = new Intl.PluralRules(tag).resolvedOptions().pluralCategories as string[]
    const unknown = [...translated].flatMap(([path, text]) =>
      Object.keys(forms(text))
        .filter((category) => !categories.includes(category))
        .map((category) => `${path}.${category}`),
    )
    expect(unknown).toEqual([])
  })

  it('translates every text (a few words are the same in both languages)', () => {
    const sameInEnglish: Record<string, string[]> = {
      de: ['share.displayNameLabel', 'bulk.columnName', 'bulk.columnProblem', 'guests.columnStatus'],
      fr: ['bulk.progressLabel', 'guests.columnActions'],
      ar: ['guests.announceFailed'],
    }
    const untranslated = [...translated]
      .filter(([path, text]) => JSON.stringify(text) === JSON.stringify(english.get(path)))
      .map(([path]) => path)
    expect(untranslated).toEqual(sameInEnglish[tag] ?? [])
    expect(
      [...translated].filter(([, text]) => Object.values(forms(text)).some((form) => !form.trim())),
    ).toEqual([])
  })
})
