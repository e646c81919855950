import { createServer } from 'node:net'
import { defaultSeed, type RunningEmulator, type Seed } from '@entra-share/emulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatCheckReport, runCheck } from '../../src/check/run-check.js'
import type { BffConfig, GroupPreset } from '../../src/config.js'
import { followUpIdentitiesAll } from '../../src/invitations/follow-up-steps.js'
import { configForEmulator } from '../../src/testing/index.js'
import { seeded, startTestEmulator } from '../support.js'

const MISSING_GROUP_ID = '00000000-0000-4000-8000-00000000dead'

const PRESETS: GroupPreset[] = [
  {
    id: 'apollo',
    label: 'Project Apollo',
    groupIds: [seeded.apolloGroupId, seeded.portalGroupId],
    attributes: { usageLocation: 'GB' },
  },
]

/**
 * The default seed, plus the application permission Directory.Read.All for both BFF apps of Contoso, which Graph
 * requires before an app may read its delegated permission grants (the default seed does not grant it).
 */
function seedWithDirectoryRead(): Seed {
  const seed = structuredClone(defaultSeed)
  const contoso = seed.tenants.find((tenant) => tenant.id === seeded.tenantId)
  for (const app of contoso?.applications ?? []) {
    if (app.clientId !== seeded.bffClientId && app.clientId !== seeded.unconsentedBffClientId) continue
    app.graphApplicationPermissions = [
      ...(app.graphApplicationPermissions ?? []),
      { name: 'Directory.Read.All', adminConsent: true },
    ]
  }
  return seed
}

/**
 * The default seed with the BFF's service principal stripped of its directory privileges: it owns no group and holds
 * no role over the guests' administrative unit (as a fresh app registration would).
 */
function seedWithoutPrivileges(): Seed {
  const seed = seedWithDirectoryRead()
  const contoso = seed.tenants.find((tenant) => tenant.id === seeded.tenantId)
  if (!contoso) throw new Error('no Contoso in the default seed')
  contoso.roleAssignments = []
  for (const group of contoso.groups) group.owners = []
  return seed
}

/** The emulator's BFF configuration with presets, discovering the authority's metadata over the network (as `check` does). */
function configFor(emulator: RunningEmulator, overrides: Partial<BffConfig> = {}): BffConfig {
  const { authorityMetadata: _skipDiscovery, ...config } = configForEmulator(emulator, {
    redirectOrigins: ['https://app.contoso.example'],
    defaultRedirectUrl: 'https://app.contoso.example/welcome',
    requiredRoles: [],
    presets: PRESETS,
    followUpRetryIntervalSeconds: 0,
  })
  return { ...config, ...overrides }
}

/** A 127.0.0.1 port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

function failing(report: { lines: { ok: boolean; text: string }[] }): string[] {
  return report.lines.filter((line) => !line.ok).map((line) => line.text)
}

describe('runCheck against the emulator', () => {
  let emulator: RunningEmulator
  let defaultEmulator: RunningEmulator

  beforeAll(async () => {
    emulator = await startTestEmulator({ seed: seedWithDirectoryRead() })
    defaultEmulator = await startTestEmulator()
  })
  afterAll(async () => {
    await emulator.close()
    await defaultEmulator.close()
  })

  it('passes every line for the consented BFF in delegated mode, reading grants from Graph', async () => {
    const requested: string[] = []
    const recordingFetch: typeof fetch = (input, init) => {
      requested.push(decodeURIComponent(String(input)))
      return fetch(input, init)
    }

    const report = await runCheck(configFor(emulator), { fetch: recordingFetch })

    expect(failing(report)).toEqual([])
    expect(report.ok).toBe(true)
    const texts = report.lines.map((line) => line.text)
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^OIDC metadata from .*openid-configuration: issuer .*c0de0000-0000-4000-8000-000000000001\/v2\.0\.$/,
        ),
        expect.stringMatching(/^JWKS at .*: 1 RS256 signing key\(s\)\.$/),
        'The credential (ENTRA_SHARE_CLIENT_SECRET) gets an app-only token for Microsoft Graph.',
        `Microsoft Graph answers at ${emulator.url}/v1.0.`,
        // The invitation On-Behalf-Of the inviter; the follow-ups under the app's least-privileged grants.
        'Delegated permission User.Invite.All (to invite guests) has admin consent.',
        `The app's service principal holds role 'Guest profile writer' over administrative unit 'Guests', whose members are every guest ((user.userType -eq "Guest")) (to set the attributes presets define; a new guest joins it after a short delay, and the BFF retries until then).`,
        `The app's service principal owns group ${seeded.apolloGroupId} (to add guests to the presets’ groups).`,
        `The app's service principal owns group ${seeded.portalGroupId} (to add guests to the presets’ groups).`,
        `Group 'Project Apollo partners' (${seeded.apolloGroupId}) of preset 'Project Apollo' exists.`,
        `Group 'Partner portal users' (${seeded.portalGroupId}) of preset 'Project Apollo' exists.`,
      ]),
    )
    expect(requested).toEqual(
      expect.arrayContaining([
        `${emulator.url}/v1.0/servicePrincipals(appId='${seeded.bffClientId}')?$select=id`,
        expect.stringMatching(/\/v1\.0\/oauth2PermissionGrants\?\$filter=clientId eq '[0-9a-f-]{36}'$/),
        expect.stringMatching(
          /\/v1\.0\/roleManagement\/directory\/roleAssignments\?\$filter=principalId eq '[0-9a-f-]{36}'&\$expand=roleDefinition$/,
        ),
        `${emulator.url}/v1.0/groups/${seeded.apolloGroupId}/owners?$select=id`,
      ]),
    )
    // The service principal's role assignments are read once, though two steps ask.
    expect(requested.filter((url) => url.includes('/roleManagement/directory/roleAssignments'))).toHaveLength(
      1,
    )
    expect(formatCheckReport(report)).toMatch(/^✓ OIDC metadata[\s\S]*\nAll \d+ checks passed\.$/)
  })

  it('passes in app mode with the invite permission in the token’s roles and the follow-ups through the directory', async () => {
    const report = await runCheck(configFor(defaultEmulator, { graphMode: 'app' }))

    expect(failing(report)).toEqual([])
    expect(report.lines.map((line) => line.text)).toEqual(
      expect.arrayContaining([
        'Application permissions in the app-only token (roles): User.Invite.All, Directory.Read.All.',
        'Application permission User.Invite.All (to invite guests) is granted.',
        expect.stringMatching(
          /^The app's service principal holds role 'Guest profile writer' over administrative unit 'Guests'/,
        ),
        `The app's service principal owns group ${seeded.apolloGroupId} (to add guests to the presets’ groups).`,
      ]),
    )
  })

  it('fails each follow-up the app identity may not do, saying what to grant, and passes the broad alternative', async () => {
    const bare = await startTestEmulator({ seed: seedWithoutPrivileges() })
    try {
      const report = await runCheck(configFor(bare))

      expect(failing(report)).toEqual([
        `App ${seeded.bffClientId} may not set the attributes presets define: no application permission (User.ReadWrite.All) and no directory role or ownership that allows it. To fix it, assign the BFF's service principal a custom role with microsoft.directory/users/basic/update (and users/usageLocation/update) scoped to a dynamic administrative unit of guests (membership rule user.userType -eq "Guest"), or grant the application permission User.ReadWrite.All (every user of the directory).`,
        `App ${seeded.bffClientId} may not add guests to the presets’ groups (group ${seeded.apolloGroupId}): no application permission (GroupMember.ReadWrite.All) and no directory role or ownership that allows it. To fix it, make the BFF's service principal an owner of the group (or assign it a role with microsoft.directory/groups/members/update scoped to the group), or grant the application permission GroupMember.ReadWrite.All (every group of the directory).`,
        expect.stringContaining(`(group ${seeded.portalGroupId})`),
      ])

      // The broad application permissions also do (with admin consent, the token's roles carry them).
      const contoso = bare.context.directory.tenant(seeded.tenantId)
      const bff = contoso?.applications.get(seeded.bffClientId)
      if (!bff) throw new Error('no BFF app')
      bff.graphApplicationPermissions = [
        ...(bff.graphApplicationPermissions ?? []),
        { name: 'User.ReadWrite.All', adminConsent: true },
        { name: 'GroupMember.ReadWrite.All', adminConsent: true },
      ]
      const broad = await runCheck(configFor(bare))
      expect(failing(broad)).toEqual([])
      expect(broad.lines.map((line) => line.text)).toEqual(
        expect.arrayContaining([
          'Application permission User.ReadWrite.All (to set the attributes presets define) is granted.',
          'Application permission GroupMember.ReadWrite.All (to add guests to the presets’ groups) is granted.',
        ]),
      )
    } finally {
      await bare.close()
    }
  })

  it('warns, without failing, that delegated follow-ups also need the inviter’s own role', async () => {
    const report = await runCheck(
      configFor(emulator, { followUpIdentities: followUpIdentitiesAll('delegated') }),
    )

    expect(failing(report)).toEqual([])
    expect(report.lines).toEqual(
      expect.arrayContaining([
        {
          ok: true,
          text: 'Delegated permission User.ReadWrite.All (to set the attributes presets define) has admin consent.',
        },
        {
          ok: true,
          warning: true,
          text: "Follow-up step addToGroup runs as the signed-in inviter (ENTRA_SHARE_FOLLOW_UP_IDENTITY): besides GroupMember.ReadWrite.All, the signed-in inviter must own the group or hold Groups Administrator, User Administrator or Directory Writers; other inviters' invitations stay partial.",
        },
      ]),
    )
  })

  it('names ENTRA_SHARE_CLIENT_SECRET when the secret is wrong, and skips what needs a token', async () => {
    const report = await runCheck(
      configFor(emulator, { credential: { kind: 'secret', clientSecret: 'not-the-secret-of-this-app' } }),
    )

    expect(report.ok).toBe(false)
    expect(failing(report)).toEqual([
      expect.stringMatching(
        /^The client secret was refused \(AADSTS7000215\): set ENTRA_SHARE_CLIENT_SECRET to a current secret of app bff00000-0000-4000-8000-00000000b001/,
      ),
      'Skipped the Graph permission and preset checks: they need a working credential.',
    ])
    expect(formatCheckReport(report)).toContain('✗ The client secret was refused')
  })

  it('reports each delegated permission that lacks admin consent for the unconsented BFF', async () => {
    const report = await runCheck(
      configFor(emulator, {
        followUpIdentities: followUpIdentitiesAll('delegated'),
        clientId: seeded.unconsentedBffClientId,
        credential: { kind: 'secret', clientSecret: seeded.unconsentedBffClientSecret },
      }),
    )

    expect(report.ok).toBe(false)
    expect(failing(report)).toEqual([
      `Delegated permission User.Invite.All (to invite guests) has no admin consent: add it to app ${seeded.unconsentedBffClientId} under API permissions > Microsoft Graph > Delegated permissions and grant admin consent.`,
      `Delegated permission User.ReadWrite.All (to set the attributes presets define) has no admin consent: add it to app ${seeded.unconsentedBffClientId} under API permissions > Microsoft Graph > Delegated permissions and grant admin consent.`,
      `Delegated permission GroupMember.ReadWrite.All (to add guests to the presets’ groups) has no admin consent: add it to app ${seeded.unconsentedBffClientId} under API permissions > Microsoft Graph > Delegated permissions and grant admin consent.`,
    ])
    expect(report.lines).toContainEqual({
      ok: true,
      text: 'Delegated permissions with admin consent: User.Read.',
    })
  })

  it('says the grants could not be read, and what to grant, when the token lacks Directory.Read.All', async () => {
    const report = await runCheck(
      configFor(defaultEmulator, {
        followUpIdentities: followUpIdentitiesAll('delegated'),
        clientId: seeded.unconsentedBffClientId,
        credential: { kind: 'secret', clientSecret: seeded.unconsentedBffClientSecret },
      }),
    )

    expect(report.ok).toBe(false)
    expect(failing(report)).toContain(
      `The delegated permission grants of app ${seeded.unconsentedBffClientId} could not be read (the app-only token lacks Directory.Read.All): grant it the application permission Directory.Read.All with admin consent so check can read them, or confirm in the Entra admin center that User.Invite.All, User.ReadWrite.All, GroupMember.ReadWrite.All have admin consent.`,
    )
  })

  it('reports the missing application permissions of the unconsented BFF in app mode', async () => {
    const report = await runCheck(
      configFor(defaultEmulator, {
        graphMode: 'app',
        clientId: seeded.unconsentedBffClientId,
        credential: { kind: 'secret', clientSecret: seeded.unconsentedBffClientSecret },
        presets: [],
      }),
    )

    expect(failing(report)).toEqual([
      `Application permission User.Invite.All (to invite guests) is missing from the token's roles: add it to app ${seeded.unconsentedBffClientId} under API permissions > Microsoft Graph > Application permissions and grant admin consent.`,
      // Without Directory.Read.All, the service principal's roles (the other way to set attributes) are unreadable.
      `The directory role assignments of app ${seeded.unconsentedBffClientId} could not be read (403 Authorization_RequestDenied: Insufficient privileges to complete the operation.): grant it the application permission RoleManagement.Read.Directory (or Directory.Read.All) so check can read them.`,
    ])
    expect(report.lines).toContainEqual({
      ok: true,
      text: 'Application permissions in the app-only token (roles): none.',
    })
  })

  it('fails the line of a preset group that does not exist', async () => {
    const report = await runCheck(
      configFor(emulator, {
        presets: [
          { id: 'apollo', label: 'Project Apollo', groupIds: [seeded.apolloGroupId] },
          { id: 'ghost', label: 'Ghost partners', groupIds: [MISSING_GROUP_ID] },
        ],
      }),
    )

    expect(failing(report)).toEqual([
      `Group ${MISSING_GROUP_ID} of preset 'Ghost partners' does not exist in tenant ${seeded.tenantId}: fix its id in ENTRA_SHARE_PRESETS_FILE.`,
    ])
  })

  it('fails, without throwing, when the authority cannot be reached', async () => {
    const port = await closedPort()

    const report = await runCheck(configFor(emulator, { authorityHost: `https://127.0.0.1:${port}` }))

    expect(report.ok).toBe(false)
    expect(failing(report)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^The authority could not be reached at https://127\\.0\\.0\\.1:${port}/${seeded.tenantId}/v2\\.0/\\.well-known/openid-configuration \\(ECONNREFUSED.*\\): check ENTRA_SHARE_AUTHORITY_HOST`,
        ),
      ),
      'Skipped the credential, Graph permission and preset checks: they need the authority.',
    ])
  })

  it('fails the issuer line when the OIDC metadata belongs to another tenant', async () => {
    const tailspinMetadata = emulator.settingsFor(seeded.otherTenantId).authorityMetadata

    const report = await runCheck(configFor(emulator, { authorityMetadata: tailspinMetadata }))

    expect(failing(report)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^The OIDC metadata from ENTRA_SHARE_AUTHORITY_METADATA has issuer '.*/${seeded.otherTenantId}/v2\\.0', which is not tenant ${seeded.tenantId}: check ENTRA_SHARE_TENANT_ID`,
        ),
      ),
      'Skipped the credential, Graph permission and preset checks: they need the authority.',
    ])
  })

  it('lists the allowed client apps, and warns (without failing) when ENTRA_SHARE_ALLOWED_CLIENT_IDS is empty', async () => {
    const listed = await runCheck(configFor(emulator))
    expect(listed.lines.at(-1)).toEqual({
      ok: true,
      text: `Client apps allowed to call (ENTRA_SHARE_ALLOWED_CLIENT_IDS): ${seeded.spaClientId}, ${seeded.cliClientId}.`,
    })

    const emptyOnEmulator = await runCheck(configFor(emulator, { allowedClientIds: [] }))
    expect(emptyOnEmulator.ok).toBe(true)
    expect(emptyOnEmulator.lines.at(-1)).toMatchObject({ ok: true, warning: true })
    expect(formatCheckReport(emptyOnEmulator)).toMatch(
      /\n! ENTRA_SHARE_ALLOWED_CLIENT_IDS is empty: the local emulator lets any client app call; against a real tenant the BFF would refuse every access token\.\nAll \d+ checks passed \(1 with a warning\)\.$/,
    )

    // A real tenant's authority (no network here: every request fails, the warning is printed all the same).
    const offline: typeof fetch = async () => {
      throw new Error('offline')
    }
    const emptyOnRealTenant = await runCheck(
      configFor(emulator, { authorityHost: 'https://login.microsoftonline.com', allowedClientIds: [] }),
      { fetch: offline },
    )
    expect(formatCheckReport(emptyOnRealTenant)).toContain(
      '\n! ENTRA_SHARE_ALLOWED_CLIENT_IDS is empty: the BFF refuses every access token; set it to the client ids of the apps that call it (the SPA, the CLI).\n',
    )
  })

  it('fails when Graph cannot be reached at the configured base URL', async () => {
    const port = await closedPort()

    const report = await runCheck(configFor(emulator, { graphBaseUrl: `https://127.0.0.1:${port}/v1.0` }))

    expect(failing(report)).toEqual([
      expect.stringMatching(
        /^Microsoft Graph could not be reached at .*ECONNREFUSED.*: check ENTRA_SHARE_GRAPH_BASE_URL\.$/,
      ),
    ])
  })
})
