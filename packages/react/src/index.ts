export {
  type BffClient,
  type BffClientOptions,
  type CallOptions,
  type ClientErrorCode,
  createBffClient,
  type InviteOptions,
  isShareError,
  ShareError,
  type ShareErrorCode,
  type ShareErrorDetails,
} from '@entra-share/client'
export type {
  ClientConfig,
  CreatedInvitation,
  CreateInvitationRequest,
  FieldError,
  Invitation,
  PendingInvitation,
} from '@entra-share/contracts'
export {
  type AccessTokenRequest,
  EntraShareTokenProvider,
  type GetAccessToken,
} from './access-token.js'
export type { PluralText } from './format.js'
export {
  EntraShareLocaleProvider,
  type EntraShareLocaleProviderProps,
  type LocaleRequest,
} from './locales/EntraShareLocaleProvider.js'
export type { LocalePack } from './locales/LocalePack.js'
export { type ShareStringsInLocale, useShareStrings } from './locales/useShareStrings.js'
export { ShareButton } from './ShareButton/ShareButton.js'
export type { ShareButtonProps } from './ShareButton/ShareButton.types.js'
export { renderShareWithExternalUser } from './ShareWithExternalUser/renderShareWithExternalUser.js'
export { ShareWithExternalUser } from './ShareWithExternalUser/ShareWithExternalUser.js'
export type {
  ShareFieldProps,
  ShareFormValues,
  ShareWithExternalUserProps,
  ShareWithExternalUserState,
} from './ShareWithExternalUser/ShareWithExternalUser.types.js'
export {
  defaultShareStrings,
  type ShareStrings,
  type ShareStringsOverride,
} from './ShareWithExternalUser/strings.js'
export { type UseClientConfigOptions, useClientConfig } from './ShareWithExternalUser/useClientConfig.js'
export {
  type InvitationControls,
  type UseInvitationOptions,
  useInvitation,
} from './ShareWithExternalUser/useInvitation.js'
export { useShareWithExternalUser } from './ShareWithExternalUser/useShareWithExternalUser.js'
export {
  type BffTarget,
  type InviteExternalUser,
  type InviteStatus,
  type UseInviteExternalUserOptions,
  useInviteExternalUser,
} from './useInviteExternalUser.js'
