import { entraPreciseTime, OAuthError } from './oauth-errors.js'

const CERTIFICATE_CREDENTIALS_DOC =
  'https://learn.microsoft.com/entra/identity-platform/certificate-credentials'
const WORKLOAD_IDENTITY_DOC = 'https://learn.microsoft.com/entra/workload-id/workload-identity-federation'
const CHECK_FEDERATED_CREDENTIAL = `Check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${WORKLOAD_IDENTITY_DOC}`

/** The validity of a registered certificate, as AADSTS700027 reports the key it found. */
export interface KeyValidity {
  notBefore: Date
  notAfter: Date
}

/** `Found key 'Start=08/18/2024 19:33:23, End=08/18/2029 19:33:23'` (UTC), Entra's wording. */
function foundKey({ notBefore, notAfter }: KeyValidity): string {
  return `Found key 'Start=${usDateTime(notBefore)}, End=${usDateTime(notAfter)}'`
}

function usDateTime(date: Date): string {
  const [year, month, day, time] = [
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.toISOString().slice(11, 19),
  ]
  return `${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}/${year} ${time}`
}

/** The pointer Entra appends to AADSTS700027: where to see the keys configured on the app. */
function seeConfiguredKeys(clientId: string): string {
  return `Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications(appId='${clientId}')'`
}

/**
 * The AADSTS errors the emulator raises, with Entra's wording. Where Entra's exact text is not public, the message
 * keeps Entra's code and error and says plainly what went wrong.
 */
export const aadsts = {
  tenantNotFound: (tenant: string, error = 'invalid_request') =>
    new OAuthError(
      400,
      error,
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  notMultiTenant: (clientId: string, displayName: string) =>
    new OAuthError(
      400,
      'invalid_request',
      50194,
      `Application '${clientId}'(${displayName}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.`,
    ),
  noTenantIdentified: () =>
    new OAuthError(
      400,
      'invalid_request',
      50059,
      'No tenant-identifying information found in either the request or implied by any provided credentials.',
    ),
  missingParameter: (name: string) =>
    new OAuthError(
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
  applicationNotFound: (clientId: string, tenantName: string) =>
    new OAuthError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  redirectUriMismatch: (redirectUri: string, clientId: string) =>
    new OAuthError(
      400,
      'invalid_request',
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    ),
  unsupportedResponseType: (responseType: string) =>
    new OAuthError(
      400,
      'unsupported_response_type',
      700054,
      `response_type '${responseType}' is not enabled for the application.`,
    ),
  invalidResponseMode: (mode: string) =>
    new OAuthError(
      400,
      'invalid_request',
      900144,
      `The response_mode '${mode}' is not supported; use query, fragment or form_post.`,
    ),
  pkceMethodNotAllowed: (method: string) =>
    new OAuthError(
      400,
      'invalid_request',
      9002325,
      `Proof Key for Code Exchange is required for cross-origin authorization code redemption. The code_challenge_method '${method}' is not accepted for single-page applications; use S256.`,
    ),
  pkceRequired: () =>
    new OAuthError(
      400,
      'invalid_request',
      9002325,
      'Proof Key for Code Exchange is required for cross-origin authorization code redemption.',
    ),
  crossOriginNotSpa: (origin: string) =>
    new OAuthError(
      400,
      'invalid_request',
      9002326,
      `Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '${origin}'.`,
    ),
  spaRedemptionNotCrossOrigin: () =>
    new OAuthError(
      400,
      'invalid_request',
      9002327,
      "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
    ),
  pkceMismatch: () =>
    new OAuthError(
      400,
      'invalid_grant',
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    ),
  loginRequired: () =>
    new OAuthError(
      400,
      'login_required',
      50058,
      "A silent sign-in request was sent but no user is signed in. The cookies used to represent the user's session were not sent in the request to Azure AD. This can happen if the user is using Internet Explorer or Edge, and the web app sending the silent sign-in request is in different IE security zone than the Azure AD endpoint (login.microsoftonline.com).",
    ),
  mfaRequired: (resourceId: string, error: 'interaction_required' | 'invalid_grant', claims?: string) =>
    new OAuthError(
      400,
      error,
      50076,
      `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${resourceId}'.`,
      error === 'invalid_grant'
        ? { suberror: 'basic_action', ...(claims ? { claims } : {}) }
        : claims
          ? { claims }
          : {},
    ),
  userDisabled: () => new OAuthError(400, 'invalid_grant', 50057, 'The user account is disabled.'),
  userNotFound: (user: string, tenantName: string) =>
    new OAuthError(
      400,
      'invalid_grant',
      50034,
      `The user account ${user} does not exist in the ${tenantName} directory.`,
    ),
  unknownScope: (clientName: string, scope: string, resourceId: string) =>
    new OAuthError(
      400,
      'invalid_client',
      650053,
      `The application '${clientName}' asked for scope '${scope}' that doesn't exist on the resource '${resourceId}'. Contact the app vendor.`,
    ),
  invalidScope: (scope: string) =>
    new OAuthError(
      400,
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  resourceNotFound: (resource: string, tenantName: string) =>
    new OAuthError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  multipleResources: (scope: string) =>
    new OAuthError(
      400,
      'invalid_scope',
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
    ),
  clientCredentialsScope: (scope: string) =>
    new OAuthError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  consentRequired: (clientId: string, clientName: string) =>
    new OAuthError(
      400,
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}' named '${clientName}'. Send an interactive authorization request for this user and resource.`,
      { suberror: 'consent_required' },
    ),
  invalidClientSecret: (clientId: string) =>
    new OAuthError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  clientCredentialMissing: () =>
    new OAuthError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  publicClientCredential: () =>
    new OAuthError(
      401,
      'invalid_client',
      700025,
      "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
    ),
  unexpectedClientAssertionType: () =>
    new OAuthError(400, 'invalid_request', 90011, 'Unexpected client assertion type.'),
  assertionWithoutThumbprint: () =>
    new OAuthError(
      400,
      'invalid_request',
      50027,
      'Invalid JWT token. No certificate thumbprint specified in token header.',
    ),
  assertionSubjectMismatchesIssuer: () =>
    new OAuthError(401, 'invalid_client', 50048, 'Subject mismatches Issuer claim in the client assertion.'),
  certificateNotRegistered: (thumbprint: string, clientId: string) =>
    new OAuthError(
      401,
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', ${seeConfiguredKeys(clientId)}]`,
    ),
  certificateExpired: (thumbprint: string, validity: KeyValidity, clientId: string) =>
    new OAuthError(
      401,
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '${thumbprint}', ${foundKey(validity)}, ${seeConfiguredKeys(clientId)}]`,
    ),
  certificateSignatureInvalid: (thumbprint: string, validity: KeyValidity, clientId: string) =>
    new OAuthError(
      401,
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - Key was found, but use of the key to verify the signature failed., Thumbprint of key used by client: '${thumbprint}', ${foundKey(validity)}, ${seeConfiguredKeys(clientId)}]`,
    ),
  clientAssertionAudience: () =>
    new OAuthError(
      401,
      'invalid_client',
      700023,
      `Client assertion audience claim does not match Realm issuer. Review the documentation at ${CERTIFICATE_CREDENTIALS_DOC} .`,
    ),
  clientAssertionTimeRange: (nowMs: number, validFromMs: number, expiresAtMs: number) =>
    new OAuthError(
      401,
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${entraPreciseTime(nowMs)}, assertion valid from ${entraPreciseTime(validFromMs)}, expiry time of assertion ${entraPreciseTime(expiresAtMs)}. Review the documentation at ${CERTIFICATE_CREDENTIALS_DOC} .`,
    ),
  clientAssertionSignature: () =>
    new OAuthError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.'),
  federatedKeyNotFound: (keyId: string, issuer: string) =>
    new OAuthError(
      401,
      'invalid_client',
      7000272,
      `The certificate with identifier ${keyId} used to sign the federated credential could not be found in the metadata of identity provider ${issuer}. Please validate that your Identity Provider's metadata exposes the key used to sign the incoming token.`,
    ),
  noFederatedIdentityRecord: (issuer: string, subject: string, audience: string) =>
    new OAuthError(
      401,
      'invalid_client',
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer}'. Assertion Subject: '${subject}'. Assertion Audience: '${audience}'. ${WORKLOAD_IDENTITY_DOC}`,
    ),
  federatedIssuerMismatch: (issuer: string) =>
    new OAuthError(
      401,
      'invalid_client',
      700211,
      `No matching federated identity record found for presented assertion issuer '${issuer}'. ${CHECK_FEDERATED_CREDENTIAL}`,
    ),
  federatedAudienceMismatch: (audience: string) =>
    new OAuthError(
      401,
      'invalid_client',
      700212,
      `No matching federated identity record found for presented assertion audience '${audience}'. ${CHECK_FEDERATED_CREDENTIAL}`,
    ),
  federatedSubjectMismatch: (subject: string) =>
    new OAuthError(
      401,
      'invalid_client',
      700213,
      `No matching federated identity record found for presented assertion subject '${subject}'. ${CHECK_FEDERATED_CREDENTIAL}`,
    ),
  federatedSubjectCaseMismatch: (subject: string) =>
    new OAuthError(
      401,
      'invalid_client',
      7002138,
      `No matching federated identity record found for presented assertion subject '${subject}'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. See documentation at: https://learn.microsoft.com/entra/workload-id/workload-identity-federation. See breaking change notification and remediation at: https://learn.microsoft.com/en-us/entra/identity-platform/reference-breaking-changes#august-2024.`,
    ),
  unsupportedGrantType: (grantType: string) =>
    new OAuthError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    ),
  invalidGrant: () => new OAuthError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.'),
  codeRedeemed: () =>
    new OAuthError(
      400,
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    ),
  grantExpired: () =>
    new OAuthError(
      400,
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    ),
  spaRefreshTokenExpired: (issuedAtMs: number) =>
    new OAuthError(
      400,
      'invalid_grant',
      700084,
      `The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page. The token was issued on ${entraPreciseTime(issuedAtMs)}.`,
    ),
  codeForOtherTenant: () =>
    new OAuthError(
      400,
      'invalid_grant',
      700005,
      'Provided Authorization Code is intended to use against other tenant, thus rejected.',
    ),
  replyAddressMismatch: (given: string, original: string) =>
    new OAuthError(
      400,
      'invalid_grant',
      500112,
      `The reply address '${given}' does not match the reply address '${original}' provided when requesting Authorization code.`,
    ),
  malformedAssertion: () =>
    new OAuthError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.'),
  assertionSignature: (thumbprint: string) =>
    new OAuthError(
      400,
      'invalid_grant',
      50013,
      `Assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}']`,
    ),
  assertionWrongTenant: (issuer: string, tenantId: string) =>
    new OAuthError(
      400,
      'invalid_grant',
      50013,
      `Assertion failed signature validation. [Reason - The issuer '${issuer}' is not valid for tenant '${tenantId}'.]`,
    ),
  assertionNotUser: () =>
    new OAuthError(
      400,
      'invalid_grant',
      50013,
      'Assertion is not a user token. The On-Behalf-Of flow works only for user principals; use the client credentials flow for app-only access.',
    ),
  assertionExpired: (nowMs: number, expiresAtMs: number) =>
    new OAuthError(
      400,
      'invalid_grant',
      500133,
      `Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: ${entraPreciseTime(nowMs)}, expiry time of assertion ${entraPreciseTime(expiresAtMs)}.`,
    ),
  assertionAudience: (audience: string, clientId: string, clientName: string) =>
    new OAuthError(
      400,
      'invalid_grant',
      500131,
      `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${audience}' and the expected audience is '${clientId}' or one of the Application Uris of this application with App ID '${clientId}'(${clientName}). The downstream client must request a token for the expected audience (the application that made the OBO request) and this application should use that token as the assertion.`,
    ),
  signInExpired: () =>
    new OAuthError(
      400,
      'invalid_request',
      9002313,
      'Invalid request. Request is malformed or invalid. The sign-in page expired or was already used; start the sign-in from the app again.',
    ),
  unknownInstance: () => new OAuthError(400, 'invalid_instance', 50049, 'Unknown or invalid instance.'),
} as const
