import type { GroupPreset, PresetAppRole, PresetLicense } from '../config.js'
import type { GraphApi, GraphServicePrincipal, GraphSubscribedSku } from '../graph/graph-api.js'
import { ProblemError } from '../platform/problem-error.js'
import type { AppRoleGrant, LicenseGrant } from './types.js'

/** What a preset grants in one tenant, with the ids Graph needs there. */
export interface PresetGrants {
  licenses: LicenseGrant[]
  appRoles: AppRoleGrant[]
}

/**
 * Resolves the licences (by SKU id or part number) and app roles (by id or value, of an enterprise application's
 * app id) that presets grant into the ids of a tenant: its subscribed SKUs and its service principals. SKU ids and
 * app role ids are the same everywhere, but only a tenant that subscribes to the SKU can assign it, and the resource
 * of an app role assignment is the application's service principal, whose object id differs per tenant.
 */
export interface PresetGrantResolver {
  /** The grants of `preset` in `tenantId` (none for `null`); `preset_not_allowed` where the tenant lacks one. */
  grantsFor(tenantId: string, preset: GroupPreset | null): Promise<PresetGrants>
  /** {@link grantsFor} the preset with this id (`null` or an unknown id: none). */
  grantsForPresetId(tenantId: string, presetId: string | null): Promise<PresetGrants>
  /** Resolves every preset in `tenantId`: one line per licence or app role that does not resolve (empty: all do). */
  verify(tenantId: string): Promise<string[]>
}

export interface PresetGrantResolverOptions {
  presets: readonly GroupPreset[]
  graph: Pick<GraphApi, 'listSubscribedSkus' | 'findServicePrincipalByAppId'>
  /** The app's own Graph token in a tenant (client credentials). */
  appToken: (tenantId: string) => Promise<string>
  /** How long a tenant's SKUs and service principals are reused, ms. Default 10 minutes. */
  cacheMs?: number
  clock?: () => number
}

/** A tenant's catalogue: its SKUs and the service principals of the presets' resource apps. */
interface TenantCatalogue {
  skus: GraphSubscribedSku[]
  servicePrincipals: Map<string, GraphServicePrincipal | null>
}

const NO_GRANTS: PresetGrants = { licenses: [], appRoles: [] }

/**
 * @example
 * const grants = createPresetGrantResolver({ presets: config.presets, graph, appToken: (t) => tokens.appToken(t, 'followUp') })
 * const problems = await grants.verify(config.tenantId) // start-up: ["preset 'apollo': licence 'POWER_BI_PRO' …"]
 * const { licenses, appRoles } = await grants.grantsFor(caller.tenantId, plan.preset)
 */
export function createPresetGrantResolver(options: PresetGrantResolverOptions): PresetGrantResolver {
  const { presets, graph, appToken } = options
  const cacheMs = options.cacheMs ?? 10 * 60_000
  const clock = options.clock ?? Date.now
  const granting = presets.filter(
    (preset) => (preset.licenses?.length ?? 0) + (preset.appRoles?.length ?? 0) > 0,
  )
  const resourceAppIds = [
    ...new Set(granting.flatMap((preset) => (preset.appRoles ?? []).map((role) => role.resourceAppId))),
  ]
  const catalogues = new Map<string, { at: number; catalogue: Promise<TenantCatalogue> }>()

  function catalogueOf(tenantId: string): Promise<TenantCatalogue> {
    const cached = catalogues.get(tenantId)
    if (cached && clock() - cached.at < cacheMs) return cached.catalogue
    const catalogue = loadCatalogue(tenantId)
    catalogues.set(tenantId, { at: clock(), catalogue })
    // A failed read is not kept: the next invitation asks again.
    catalogue.catch(() => catalogues.delete(tenantId))
    return catalogue
  }

  async function loadCatalogue(tenantId: string): Promise<TenantCatalogue> {
    const token = await appToken(tenantId)
    const needsSkus = granting.some((preset) => (preset.licenses?.length ?? 0) > 0)
    const skus = needsSkus ? await graph.listSubscribedSkus(token) : []
    const servicePrincipals = new Map<string, GraphServicePrincipal | null>()
    for (const appId of resourceAppIds) {
      servicePrincipals.set(appId, await graph.findServicePrincipalByAppId(token, appId))
    }
    return { skus, servicePrincipals }
  }

  /** The preset's grants in a catalogue, and a line for each that does not resolve. */
  function resolve(preset: GroupPreset, catalogue: TenantCatalogue, tenantId: string) {
    const problems: string[] = []
    const licenses: LicenseGrant[] = []
    for (const wanted of preset.licenses ?? []) {
      const sku = catalogue.skus.find((candidate) =>
        'skuId' in wanted
          ? candidate.skuId.toLowerCase() === wanted.skuId.toLowerCase()
          : candidate.skuPartNumber.toLowerCase() === wanted.skuPartNumber.toLowerCase(),
      )
      if (!sku) {
        problems.push(
          `preset '${preset.id}': licence ${describeLicense(wanted)} is not one of tenant ${tenantId}'s subscribed SKUs (${catalogue.skus.map((known) => `${known.skuPartNumber} ${known.skuId}`).join(', ') || 'none'}).`,
        )
        continue
      }
      licenses.push({ skuId: sku.skuId, disabledPlans: wanted.disabledPlans ?? [] })
    }
    const appRoles: AppRoleGrant[] = []
    for (const wanted of preset.appRoles ?? []) {
      const servicePrincipal = catalogue.servicePrincipals.get(wanted.resourceAppId)
      if (!servicePrincipal) {
        problems.push(
          `preset '${preset.id}': app role ${describeAppRole(wanted)} belongs to application ${wanted.resourceAppId}, which has no enterprise application (service principal) in tenant ${tenantId}.`,
        )
        continue
      }
      const role = servicePrincipal.appRoles.find((candidate) =>
        'appRoleId' in wanted
          ? candidate.id.toLowerCase() === wanted.appRoleId.toLowerCase()
          : candidate.value === wanted.value,
      )
      if (!role?.isEnabled || !role.allowedMemberTypes.includes('User')) {
        const known = servicePrincipal.appRoles
          .filter((candidate) => candidate.isEnabled && candidate.allowedMemberTypes.includes('User'))
          .map((candidate) => `${candidate.value ?? '(no value)'} ${candidate.id}`)
        problems.push(
          `preset '${preset.id}': app role ${describeAppRole(wanted)} is not an enabled role for users of ${servicePrincipal.displayName ?? wanted.resourceAppId} (${known.join(', ') || 'it has none'}).`,
        )
        continue
      }
      appRoles.push({ resourceId: servicePrincipal.id, appRoleId: role.id })
    }
    return { grants: { licenses, appRoles }, problems }
  }

  return {
    async grantsFor(tenantId, preset) {
      if (!preset || !granting.includes(preset)) return NO_GRANTS
      const { grants, problems } = resolve(preset, await catalogueOf(tenantId), tenantId)
      if (problems.length > 0) {
        throw new ProblemError('preset_not_allowed', {
          detail: `The group preset '${preset.id}' cannot be used in this organization: ${problems.join(' ')}`,
        })
      }
      return grants
    },
    grantsForPresetId(tenantId, presetId) {
      return this.grantsFor(tenantId, presets.find((preset) => preset.id === presetId) ?? null)
    },
    async verify(tenantId) {
      if (granting.length === 0) return []
      const catalogue = await catalogueOf(tenantId)
      return granting.flatMap((preset) => resolve(preset, catalogue, tenantId).problems)
    },
  }
}

function describeLicense(license: PresetLicense): string {
  return 'skuId' in license ? `skuId ${license.skuId}` : `'${license.skuPartNumber}'`
}

function describeAppRole(role: PresetAppRole): string {
  return 'appRoleId' in role ? `id ${role.appRoleId}` : `'${role.value}'`
}
