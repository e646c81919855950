import type { BulkStrings } from '../BulkInvite/strings.js'
import type { GuestAccessStrings } from '../GuestAccess/strings.js'
import type { ShareStrings } from '../ShareWithExternalUser/strings.js'

/**
 * One language for the components: every text of `<ShareWithExternalUser>` and `<ShareButton>` (`share`, whose
 * `errors` `<GuestAccess>` shows too), of `<BulkInvite>` (`bulk`) and of `<GuestAccess>` (`guests`), the language's
 * tag and its writing direction. Import the packs you offer from
 * `@entra-share/react/locales/<tag>` and give them to `<EntraShareLocaleProvider packs={[…]}>`; English is built in.
 *
 * @example
 * import { de } from '@entra-share/react/locales/de'
 *
 * // your own variant: spread a pack and change what you need
 * const deCH: LocalePack = { ...de, locale: 'de-CH', share: { ...de.share, title: 'Mit Externen teilen' } }
 */
export interface LocalePack {
  /** The BCP 47 tag the pack is written in (`de`, `pt-BR`), matched against the requested languages. */
  locale: string
  /** The writing direction, set as `dir` on each component's root. */
  dir: 'ltr' | 'rtl'
  share: ShareStrings
  bulk: BulkStrings
  guests: GuestAccessStrings
}
