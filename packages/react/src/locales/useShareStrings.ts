import {
  mergeShareStrings,
  type ShareStrings,
  type ShareStringsOverride,
} from '../ShareWithExternalUser/strings.js'
import { type LocaleRequest, useLocale } from './EntraShareLocaleProvider.js'

/** What {@link useShareStrings} returns: the texts in the chosen language, and the root's `lang` and `dir`. */
export interface ShareStringsInLocale {
  /** The language's share texts (English built in) with the `strings` override merged on. */
  strings: ShareStrings
  /** The root's `lang` and `dir` under `<EntraShareLocaleProvider>`; `undefined` without one (the page's apply). */
  lang: string | undefined
  dir: 'ltr' | 'rtl' | undefined
}

/**
 * The share texts a component around the form needs (a trigger button, a dialog's title and Close), chosen as
 * `<ShareWithExternalUser>` chooses its own: the `locale` prop, else `<EntraShareLocaleProvider>`'s, else the
 * browser's languages, with `strings` merged on. For another design system's `<ShareButton>`.
 *
 * @example
 * function MyShareButton(props: { strings?: ShareStringsOverride; locale?: string }) {
 *   const { strings, lang, dir } = useShareStrings(props)
 *   return <button type="button" lang={lang} dir={dir}>{strings.openButton}</button>
 * }
 */
export function useShareStrings(options: {
  strings?: ShareStringsOverride | undefined
  locale?: LocaleRequest | undefined
}): ShareStringsInLocale {
  const { pack, lang, dir } = useLocale(options.locale)
  return { strings: mergeShareStrings(options.strings, pack?.share), lang, dir }
}
