import { defaultBulkStrings } from '../../BulkInvite/strings.js'
import { defaultGuestAccessStrings } from '../../GuestAccess/strings.js'
import { defaultShareStrings } from '../../ShareWithExternalUser/strings.js'
import type { LocalePack } from '../LocalePack.js'

/**
 * English, built into the components (`defaultShareStrings`, `defaultBulkStrings`, `defaultGuestAccessStrings`): no need to register it. Import it
 * as the base of your own pack (`{ ...en, locale: 'en-AU', … }`).
 *
 * @example
 * import { en } from '@entra-share/react/locales/en'
 */
export const en: LocalePack = {
  locale: 'en',
  dir: 'ltr',
  share: defaultShareStrings,
  bulk: defaultBulkStrings,
  guests: defaultGuestAccessStrings,
}
