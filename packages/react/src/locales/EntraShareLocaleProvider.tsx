import { createContext, type ReactElement, type ReactNode, useContext, useSyncExternalStore } from 'react'
import type { LocalePack } from './LocalePack.js'
import { matchLocale } from './match-locale.js'

/** A BCP 47 language tag (`de-AT`), or several in order of preference (`navigator.languages`). */
export type LocaleRequest = string | readonly string[]

/** Props of {@link EntraShareLocaleProvider}. */
export interface EntraShareLocaleProviderProps {
  /** The languages offered besides the built-in English: packs from `@entra-share/react/locales/<tag>`. */
  packs: readonly LocalePack[]
  /** The language for every component below, over the browser's (`navigator.languages`). @default the browser's */
  locale?: LocaleRequest | undefined
  children?: ReactNode
}

const LocaleContext = createContext<EntraShareLocaleProviderProps | null>(null)

/**
 * Offers languages to every entra-share component below it. Each component shows the pack that best matches its
 * `locale` prop, else the provider's `locale`, else the browser's languages (BCP 47 lookup: `de-AT` takes `de`), and
 * falls back to English; its root gets the pack's `lang` and `dir` (`rtl` for Arabic). Only the packs given are
 * bundled: each lives in its own entry.
 *
 * @example
 * import { EntraShareLocaleProvider, ShareButton } from '@entra-share/react'
 * import { ar } from '@entra-share/react/locales/ar'
 * import { de } from '@entra-share/react/locales/de'
 *
 * <EntraShareLocaleProvider packs={[de, ar]}>
 *   <ShareButton bffUrl="https://lob.contoso.com" scopes={['api://<BFF client id>/Invitations.Send']} />
 * </EntraShareLocaleProvider>
 */
export function EntraShareLocaleProvider(props: EntraShareLocaleProviderProps): ReactElement {
  return <LocaleContext.Provider value={props}>{props.children}</LocaleContext.Provider>
}

/** The language a component renders in. @internal */
export interface ResolvedLocale {
  /** The pack chosen, or `null` for the built-in English. */
  pack: LocalePack | null
  /** What numbers and plurals are formatted with: the requested tag that chose the pack (`de-AT`), else `en`. */
  formatLocale: string
  /** The root's `lang` and `dir`; left out without a provider, where the host page's own apply. */
  lang: string | undefined
  dir: 'ltr' | 'rtl' | undefined
}

const subscribeToLanguages = (onChange: () => void) => {
  window.addEventListener('languagechange', onChange)
  return () => window.removeEventListener('languagechange', onChange)
}
// A string, so the snapshot compares equal while the languages stay the same. Read in the browser only: the server
// (and hydration) render English, then the browser's language.
const browserLanguages = () => navigator.languages.join(',')
const serverLanguages = () => ''

/**
 * The pack for `locale` (a component's prop), else the provider's `locale`, else the browser's languages, among the
 * provider's packs and the built-in English. @internal
 */
export function useLocale(locale: LocaleRequest | undefined): ResolvedLocale {
  const settings = useContext(LocaleContext)
  const browser = useSyncExternalStore(subscribeToLanguages, browserLanguages, serverLanguages)
  if (locale !== undefined && !settings)
    throw new TypeError(
      '@entra-share/react: `locale` needs an <EntraShareLocaleProvider packs={[…]}> above it.',
    )
  const packs = settings?.packs ?? []
  const requested = [locale ?? settings?.locale ?? browser.split(',')].flat()
  const match = matchLocale(requested, [...packs.map((pack) => pack.locale), 'en'])
  // The index past the packs is the built-in English.
  const pack = packs[match?.index ?? -1] ?? null
  const [lang, dir] = settings ? [pack?.locale ?? 'en', pack?.dir ?? 'ltr'] : []
  return { pack, formatLocale: match?.tag ?? 'en', lang, dir }
}
