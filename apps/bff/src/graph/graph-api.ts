import {
  AuthenticationHandler,
  AuthenticationHandlerOptions,
  type AuthenticationProvider,
  Client,
  GraphError,
  HTTPMessageHandler,
  RedirectHandler,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client'
import {
  graphProblem,
  isAlreadyAssignedAppRole,
  isAlreadyGroupMember,
  isLicenseNotHeld,
} from './graph-errors.js'

/** `POST /invitations` body, as entra-share sends it. */
export interface GraphInvitationRequest {
  invitedUserEmailAddress: string
  inviteRedirectUrl: string
  invitedUserDisplayName?: string
  /** Whether Microsoft emails the invitation. Graph's default is `false`. */
  sendInvitationMessage: boolean
  invitedUserType?: 'Guest' | 'Member'
  invitedUserMessageInfo?: { customizedMessageBody?: string; messageLanguage?: string }
  /** The guest's sponsors (users or groups), as directory object references; Graph takes up to 5. */
  invitedUserSponsors?: Array<{ id: string }>
  /** With {@link invitedUser}: reset the redemption of that existing guest, who must redeem again. */
  resetRedemption?: boolean
  invitedUser?: { id: string }
}

/** The invitation entity Graph answers `201` with (the fields entra-share reads). */
export interface GraphInvitation {
  id: string
  inviteRedeemUrl: string
  inviteRedirectUrl: string
  invitedUserEmailAddress: string
  invitedUserDisplayName: string | null
  invitedUserType: string
  sendInvitationMessage: boolean
  status: 'PendingAcceptance' | 'Completed' | 'InProgress' | 'Error'
  invitedUser: { id: string }
}

/** A directory user as {@link GraphApi.findUsersByEmail} selects it. */
export interface GraphUser {
  id: string
  userType: 'Guest' | 'Member' | null
  mail: string | null
  displayName: string | null
  /** `PendingAcceptance` or `Accepted` for invited guests; `null` for members. */
  externalUserState: string | null
}

/** Attributes entra-share sets with `PATCH /users/{id}`: name, usage location, directory extension attributes. */
export interface GraphUserAttributes {
  givenName?: string
  surname?: string
  usageLocation?: string
  /** `extension_{appIdWithoutDashes}_{name}` values. */
  [extension: `extension_${string}`]: string | number | boolean | undefined
}

/** A person to write to: a user's name, addresses and preferred language (`GET /users/{id}`, member lists). */
export interface GraphPerson {
  id: string
  displayName: string | null
  mail: string | null
  userPrincipalName: string | null
  preferredLanguage: string | null
}

/** The user properties a {@link GraphPerson} is read with. */
export const PERSON_SELECT = ['id', 'displayName', 'mail', 'userPrincipalName', 'preferredLanguage'] as const

/** One of the tenant's subscriptions (`GET /subscribedSkus`), the fields entra-share reads. */
export interface GraphSubscribedSku {
  skuId: string
  skuPartNumber: string
  prepaidUnits?: { enabled?: number }
  consumedUnits?: number
}

/** An enterprise application (`GET /servicePrincipals(appId='…')`), the fields entra-share reads. */
export interface GraphServicePrincipal {
  id: string
  appId: string
  displayName: string | null
  appRoles: Array<{ id: string; value: string | null; isEnabled: boolean; allowedMemberTypes: string[] }>
}

/** A licence to add with `POST /users/{id}/assignLicense`. */
export interface GraphLicenseAssignment {
  skuId: string
  disabledPlans: string[]
}

/** An app role to grant with `POST /users/{id}/appRoleAssignments`. */
export interface GraphAppRoleGrant {
  /** The service principal (enterprise application) that defines the role. */
  resourceId: string
  appRoleId: string
}

/** One request inside a `$batch` envelope. `url` is relative to the version root (`/invitations`, not `/v1.0/…`). */
export interface GraphBatchRequest {
  /** Unique within the batch; the answer carries it back. */
  id: string
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  url: string
  body?: unknown
}

/** One item of a `$batch` answer: its own status, headers (`Retry-After`…) and body. */
export interface GraphBatchResponse {
  id: string
  status: number
  headers: Record<string, string>
  body?: unknown
}

/** The most requests Graph takes in one `$batch`. */
export const GRAPH_BATCH_LIMIT = 20

/**
 * The Microsoft Graph calls of the invite saga. Every method takes the Graph access token to call with (On-Behalf-Of
 * the caller, or the app's own) and throws a `ProblemError` mapped by `graphProblem`.
 */
export interface GraphApi {
  /** `POST /invitations`. Re-inviting an existing guest answers with the same `invitedUser.id` and a new redeem URL. */
  inviteGuest(token: string, body: GraphInvitationRequest): Promise<GraphInvitation>
  /** Users whose `mail` or one of whose `otherMails` is `email` (case-insensitive, as the directory compares). */
  findUsersByEmail(token: string, email: string): Promise<GraphUser[]>
  /** `GET /users/{id}?$select=…`. */
  getUser<K extends string>(
    token: string,
    id: string,
    select: readonly K[],
  ): Promise<Record<K, unknown> & { id: string }>
  /** `PATCH /users/{id}`. */
  updateUser(token: string, id: string, attributes: GraphUserAttributes): Promise<void>
  /** `POST /groups/{id}/members/$ref`; a user already in the group is success (`'alreadyMember'`). */
  addGroupMember(token: string, groupId: string, userId: string): Promise<'added' | 'alreadyMember'>
  /** `POST /users/{id}/assignLicense` adding one licence; no units left is `ProblemError('license_unavailable')`. */
  assignLicense(token: string, userId: string, license: GraphLicenseAssignment): Promise<void>
  /**
   * `POST /users/{id}/assignLicense` with `removeLicenses: [skuId]`; a licence the user does not hold ("User does not
   * have a corresponding license.") is success (`'notHeld'`).
   */
  removeLicense(token: string, userId: string, skuId: string): Promise<'removed' | 'notHeld'>
  /** `POST /users/{id}/appRoleAssignments`; a role the user already holds is success (`'alreadyAssigned'`). */
  assignAppRole(
    token: string,
    userId: string,
    grant: GraphAppRoleGrant,
  ): Promise<'assigned' | 'alreadyAssigned'>
  /** `DELETE /groups/{id}/members/{userId}/$ref`; a user who is not a member is Graph's 404 (`not_found`). */
  removeGroupMember(token: string, groupId: string, userId: string): Promise<void>
  /** The ids of the user's own assignments of `grant`'s app role (`GET /users/{id}/appRoleAssignments`). */
  findAppRoleAssignments(token: string, userId: string, grant: GraphAppRoleGrant): Promise<string[]>
  /** `DELETE /users/{id}/appRoleAssignments/{assignmentId}`. */
  removeAppRoleAssignment(token: string, userId: string, assignmentId: string): Promise<void>
  /** `PATCH /users/{id}` with `accountEnabled` alone (`User.EnableDisableAccount.All` suffices, with a read permission). */
  setAccountEnabled(token: string, userId: string, enabled: boolean): Promise<void>
  /** `DELETE /users/{id}`: the user moves to the directory's deleted items (restorable for 30 days). */
  deleteUser(token: string, userId: string): Promise<void>
  /**
   * Of `groupIds`, those `userId` is a member of, directly or through nested groups
   * (`POST /users/{id}/checkMemberGroups`, 20 ids a call).
   */
  checkMemberGroups(token: string, userId: string, groupIds: readonly string[]): Promise<string[]>
  /**
   * The users of a group and of the groups nested in it (`GET /groups/{id}/transitiveMembers`, every page), with
   * what an email to them needs.
   */
  listTransitiveMemberUsers(token: string, groupId: string): Promise<GraphPerson[]>
  /** `GET /subscribedSkus`: the tenant's subscriptions. */
  listSubscribedSkus(token: string): Promise<GraphSubscribedSku[]>
  /** `GET /servicePrincipals(appId='…')`; `null` when the tenant has no enterprise application for that app id. */
  findServicePrincipalByAppId(token: string, appId: string): Promise<GraphServicePrincipal | null>
  /**
   * `POST /$batch` with up to {@link GRAPH_BATCH_LIMIT} requests; answers one item per request, in request order.
   * Items fail one by one (a throttled item is a `429` item with `Retry-After`); only a failure of the envelope
   * itself throws.
   */
  batch(token: string, requests: readonly GraphBatchRequest[]): Promise<GraphBatchResponse[]>
  /** The `@odata.id` of a directory object, as `POST …/members/$ref` wants it (also inside a batch). */
  directoryObjectReference(objectId: string): string
}

export interface GraphApiOptions {
  /** Graph's root with its version, e.g. `https://graph.microsoft.com/v1.0` or the emulator's `https://127.0.0.1:PORT/v1.0`. */
  baseUrl: string
  /**
   * The SDK RetryHandler's bounds for 429/503/504 (`Retry-After` is honoured when present).
   * @default { maxRetries: 3, delaySeconds: 3 } (the SDK's own defaults)
   */
  retry?: { maxRetries: number; delaySeconds: number }
}

const USER_LOOKUP_SELECT = ['id', 'userType', 'mail', 'displayName', 'externalUserState'] as const

/**
 * Builds the typed Graph client on the real Graph JS SDK (`Client.initWithMiddleware`) with the chain
 * authentication → RetryHandler → RedirectHandler → TelemetryHandler (`client-request-id`, `SdkVersion`) → fetch.
 * The base URL's host is registered in `customHosts`, so the SDK keeps the `Authorization` header for a host that is
 * not Microsoft's (the emulator). One client serves every caller: the token travels with each request.
 *
 * Note: the RetryHandler also retries `POST /invitations` on 429/503/504. That is safe for invitations (re-inviting
 * the same address returns the same guest), and a retried `$ref` that already landed answers "already exist",
 * which {@link GraphApi.addGroupMember} treats as success.
 *
 * @example
 * const graph = createGraphApi({ baseUrl: config.graphBaseUrl })
 * const invitation = await graph.inviteGuest(await tokens.graphToken(caller), {
 *   invitedUserEmailAddress: 'ada@fabrikam.example',
 *   inviteRedirectUrl: 'https://apps.contoso.example/welcome',
 *   sendInvitationMessage: true,
 * })
 */
export function createGraphApi(options: GraphApiOptions): GraphApi {
  const base = parseBaseUrl(options.baseUrl)
  const retry = options.retry ?? { maxRetries: 3, delaySeconds: 3 }
  const client = Client.initWithMiddleware({
    baseUrl: base.origin,
    defaultVersion: base.version,
    customHosts: new Set([base.hostname]),
    // The SDK links the array into a chain, in this order.
    middleware: [
      new AuthenticationHandler(noDefaultToken),
      new RetryHandler(new RetryHandlerOptions(retry.delaySeconds, retry.maxRetries)),
      new RedirectHandler(),
      new TelemetryHandler(),
      new HTTPMessageHandler(),
    ],
  })
  const request = (token: string, path: string) =>
    client.api(path).middlewareOptions([new AuthenticationHandlerOptions(bearer(token))])

  return {
    async inviteGuest(token, body) {
      try {
        return (await request(token, '/invitations').post(body)) as GraphInvitation
      } catch (error) {
        throw graphProblem(error)
      }
    },

    async findUsersByEmail(token, email) {
      const literal = odataString(email)
      const filter = `mail eq ${literal} or otherMails/any(x:x eq ${literal})`
      try {
        // The SDK puts $filter into the URL as given, so an address's `+`, `&` or `#` must be encoded here.
        const page = (await request(token, '/users')
          .filter(encodeURIComponent(filter))
          .select([...USER_LOOKUP_SELECT])
          .get()) as { value: GraphUser[] }
        return page.value.map((user) => ({
          id: user.id,
          userType: user.userType ?? null,
          mail: user.mail ?? null,
          displayName: user.displayName ?? null,
          externalUserState: user.externalUserState ?? null,
        }))
      } catch (error) {
        throw graphProblem(error)
      }
    },

    async getUser(token, id, select) {
      try {
        return await request(token, `/users/${encodeURIComponent(id)}`)
          .select([...select])
          .get()
      } catch (error) {
        throw graphProblem(error)
      }
    },

    async updateUser(token, id, attributes) {
      try {
        await request(token, `/users/${encodeURIComponent(id)}`).patch(attributes)
      } catch (error) {
        throw graphProblem(error)
      }
    },

    async addGroupMember(token, groupId, userId) {
      try {
        await request(token, `/groups/${encodeURIComponent(groupId)}/members/$ref`).post({
          '@odata.id': `${base.root}/directoryObjects/${encodeURIComponent(userId)}`,
        })
        return 'added'
      } catch (error) {
        if (isAlreadyGroupMember(error)) return 'alreadyMember'
        throw graphProblem(error)
      }
    },

    async assignLicense(token, userId, license) {
      try {
        await request(token, `/users/${encodeURIComponent(userId)}/assignLicense`).post(
          assignLicenseBody(license),
        )
      } catch (error) {
        throw graphProblem(error)
      }
    },

    async assignAppRole(token, userId, grant) {
      try {
        await request(token, `/users/${encodeURIComponent(userId)}/appRoleAssignments`).post(
          appRoleAssignmentBody(userId, grant),
        )
        return 'assigned'
      } catch (error) {
        if (isAlreadyAssignedAppRole(error)) return 'alreadyAssigned'
        throw graphProblem(error)
      }
    },

    async removeGroupMember(token, groupId, userId) {
      try {
        await request(
          token,
          `/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(userId)}/$ref`,
        ).delete()
      } catch (error) {
        throw graphProblem(error)
      }
    },

    async findAppRoleAssignments(token, userId, grant) {
      try {
        const page = (await request(token, `/users/${encodeURIComponent(userId)}/appRoleAssignments`)
          .filter(encodeURIComponent(`resourceId eq ${grant.resourceId}`))
          .get()) as { value: Array<{ id: string; principalId: string; appRoleId: string }> }
        // The list holds the assignments of the user's groups too: only the user's own are theirs to lose.
        return page.value
          .filter(
            (assignment) =>
              assignment.principalId.toLowerCase() === userId.toLowerCase() &&
              assignment.appRoleId.toLowerCase() === grant.appRoleId.toLowerCase(),
          )
          .map((assignment) => assignment.id)
      } catch (error) {
        throw graphProblem(error)
      }
    },

    async removeAppRoleAssignment(token, userId, assignmentId) {
      try {
        await request(
          token,
          `/users/${encodeURIComponent(userId)}/appRoleAssignments/${encodeURIComponent(assignmentId)}`,
        ).delete()
      } catch (error) {
        throw graphProblem(error)
      }
    },

    async setAccountEnabled(token, userId, enabled) {
      try {
        await request(token, `/users/${encodeURIComponent(userId)}`).patch({ accountEnabled: enabled })
      } catch (error) {
        throw graphProblem(error)
      }
    },

    async deleteUser(token, userId) {
      try {
        await request(token, `/users/${encodeURIComponent(userId)}`).delete()
      } catch (error) {
        throw graphProblem(error)
      }
    },

    async removeLicense(token, userId, skuId) {
      try {
        await request(token, `/users/${encodeURIComponent(userId)}/assignLicense`).post({
          addLicenses: [],
          removeLicenses: [skuId],
        })
        return 'removed'
      } catch (error) {
        if (isLicenseNotHeld(error)) return 'notHeld'
        throw graphProblem(error)
      }
    },

    async checkMemberGroups(token, userId, groupIds) {
      const member: string[] = []
      try {
        // "You can check up to a maximum of 20 groups per request."
        for (let start = 0; start < groupIds.length; start += 20) {
          const answer = (await request(token, `/users/${encodeURIComponent(userId)}/checkMemberGroups`).post(
            {
              groupIds: groupIds.slice(start, start + 20),
            },
          )) as { value: string[] }
          member.push(...answer.value.map((id) => id.toLowerCase()))
        }
        return member
      } catch (error) {
        throw graphProblem(error)
      }
    },

    async listTransitiveMemberUsers(token, groupId) {
      type Page = { value: Array<GraphPerson & { '@odata.type'?: string }>; '@odata.nextLink'?: string }
      const people: GraphPerson[] = []
      const keep = (page: Page) => {
        for (const member of page.value) {
          // Nested groups are listed too; their users follow on their own.
          if (member['@odata.type'] !== '#microsoft.graph.user') continue
          people.push({
            id: member.id.toLowerCase(),
            displayName: member.displayName ?? null,
            mail: member.mail ?? null,
            userPrincipalName: member.userPrincipalName ?? null,
            preferredLanguage: member.preferredLanguage ?? null,
          })
        }
      }
      try {
        let page = (await request(token, `/groups/${encodeURIComponent(groupId)}/transitiveMembers`)
          .select([...PERSON_SELECT])
          .top(999)
          .get()) as Page
        keep(page)
        while (page['@odata.nextLink']) {
          page = (await request(token, page['@odata.nextLink']).get()) as Page
          keep(page)
        }
        return people
      } catch (error) {
        throw graphProblem(error)
      }
    },

    async listSubscribedSkus(token) {
      try {
        const page = (await request(token, '/subscribedSkus').get()) as { value: GraphSubscribedSku[] }
        return page.value
      } catch (error) {
        throw graphProblem(error)
      }
    },

    async findServicePrincipalByAppId(token, appId) {
      try {
        return (await request(token, `/servicePrincipals(appId='${encodeURIComponent(appId)}')`)
          .select(['id', 'appId', 'displayName', 'appRoles'])
          .get()) as GraphServicePrincipal
      } catch (error) {
        const problem = graphProblem(error)
        if (problem.code === 'not_found') return null
        throw problem
      }
    },

    async batch(token, requests) {
      if (requests.length === 0) return []
      if (requests.length > GRAPH_BATCH_LIMIT) {
        throw new RangeError(
          `GraphApi.batch: at most ${GRAPH_BATCH_LIMIT} requests per batch, got ${requests.length}.`,
        )
      }
      let answer: { responses?: GraphBatchResponse[] }
      try {
        answer = (await request(token, '/$batch').post({
          requests: requests.map((item) => ({
            id: item.id,
            method: item.method,
            url: item.url,
            ...(item.body === undefined
              ? {}
              : { body: item.body, headers: { 'Content-Type': 'application/json' } }),
          })),
        })) as { responses?: GraphBatchResponse[] }
      } catch (error) {
        throw graphProblem(error)
      }
      // Graph answers items in any order; a missing item is reported as a gateway failure of that item.
      const byId = new Map((answer.responses ?? []).map((item) => [item.id, item]))
      return requests.map(
        (item) =>
          byId.get(item.id) ?? {
            id: item.id,
            status: 502,
            headers: {},
            body: {
              error: { code: 'BadGateway', message: 'The batch answer has no item for this request.' },
            },
          },
      )
    },

    directoryObjectReference(objectId) {
      return `${base.root}/directoryObjects/${encodeURIComponent(objectId)}`
    },
  }
}

/**
 * A failed `$batch` item as the `GraphError` the SDK would have thrown for the same request on its own, so
 * `graphProblem` and `isAlreadyGroupMember` map it exactly like a single call.
 *
 * @example
 * const [item] = await graph.batch(token, [{ id: '1', method: 'POST', url: '/invitations', body }])
 * if (item.status >= 400) throw graphProblem(batchItemError(item))
 */
export function batchItemError(item: GraphBatchResponse): GraphError {
  const error = (
    item.body as { error?: { code?: string; message?: string; innerError?: { 'request-id'?: string } } }
  )?.error
  const graphError = new GraphError(item.status, error?.message ?? `Microsoft Graph answered ${item.status}.`)
  graphError.code = error?.code ?? null
  graphError.requestId = error?.innerError?.['request-id'] ?? null
  graphError.headers = new Headers(item.headers)
  graphError.body = item.body === undefined ? undefined : JSON.stringify(item.body)
  return graphError
}

/** An OData string literal: single quotes doubled. */
function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

function parseBaseUrl(baseUrl: string) {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw new TypeError(`createGraphApi: baseUrl '${baseUrl}' is not a URL.`)
  }
  // The SDK sends the token only over https (it strips Authorization for any other scheme).
  if (url.protocol !== 'https:') {
    throw new TypeError(
      `createGraphApi: baseUrl must be an https URL such as https://graph.microsoft.com/v1.0, not '${baseUrl}'.`,
    )
  }
  const version = url.pathname.replace(/^\/+|\/+$/g, '')
  if (!version || version.includes('/')) {
    throw new TypeError(
      `createGraphApi: baseUrl must end with the Graph version, as in https://graph.microsoft.com/v1.0, not '${baseUrl}'.`,
    )
  }
  return {
    origin: `${url.origin}/`,
    hostname: url.hostname,
    version,
    root: `${url.origin}/${version}`,
  }
}

function bearer(token: string): AuthenticationProvider {
  return { getAccessToken: async () => token }
}

// Every request carries its own token (AuthenticationHandlerOptions); reaching this provider is a bug.
const noDefaultToken: AuthenticationProvider = {
  getAccessToken: async () => {
    throw new Error('createGraphApi: a Graph request was sent without a token.')
  },
}

/** The `assignLicense` body adding one licence and removing none (also as a `$batch` item's body). */
export function assignLicenseBody(license: GraphLicenseAssignment): {
  addLicenses: GraphLicenseAssignment[]
  removeLicenses: string[]
} {
  return { addLicenses: [{ skuId: license.skuId, disabledPlans: license.disabledPlans }], removeLicenses: [] }
}

/** The `appRoleAssignments` body granting `grant` to the user `userId` (also as a `$batch` item's body). */
export function appRoleAssignmentBody(
  userId: string,
  grant: GraphAppRoleGrant,
): { principalId: string; resourceId: string; appRoleId: string } {
  return { principalId: userId, resourceId: grant.resourceId, appRoleId: grant.appRoleId }
}
