import { ClientConfig, constraints, ProblemDocument } from '@entra-share/contracts'
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify'
import type { BffConfig } from '../config.js'
import { callerOf } from '../platform/authenticate.js'

/** `GET /api/config`: what the component needs to render the form and check it before sending. */
export async function configRoutes(
  app: FastifyInstance,
  options: { config: BffConfig; authenticate: onRequestAsyncHookHandler },
): Promise<void> {
  const { config } = options
  app.get(
    '/api/config',
    {
      onRequest: options.authenticate,
      schema: {
        summary: 'What the share component needs: presets the caller may use, domain rules, redirect, limits',
        tags: ['config'],
        security: [{ bearer: [] }],
        response: { 200: ClientConfig, 401: ProblemDocument, 403: ProblemDocument },
      },
    },
    async (request): Promise<ClientConfig> => {
      const caller = callerOf(request)
      const presets = config.presets.filter(
        (preset) =>
          !preset.allowedRoles?.length || preset.allowedRoles.some((role) => caller.roles.includes(role)),
      )
      return {
        presets: presets.map((preset) => ({
          id: preset.id,
          label: preset.label,
          groupCount: preset.groupIds.length,
          ...(preset.approval
            ? {
                approvalRequired: true,
                reasonRequired: preset.approval.reasonRequired === true,
                ...(preset.approval.approversLabel ? { approversLabel: preset.approval.approversLabel } : {}),
              }
            : {}),
          ...(preset.accessDays === undefined ? {} : { accessDays: preset.accessDays }),
          ...(preset.review ? { reviewEveryDays: preset.review.everyDays } : {}),
        })),
        defaultPresetId: presets[0]?.id ?? null,
        domains: { allowed: config.allowedDomains, blocked: config.blockedDomains },
        defaultRedirectUrl: config.defaultRedirectUrl,
        allowedRedirectOrigins: [
          ...new Set([new URL(config.defaultRedirectUrl).origin, ...config.redirectOrigins]),
        ],
        emailMode: config.emailMode,
        limits: {
          emailMaxLength: constraints.emailMaxLength,
          displayNameMaxLength: constraints.displayNameMaxLength,
          messageMaxLength: constraints.messageMaxLength,
          invitesPerMinutePerUser: config.rateLimits.perUserPerMinute,
          messageLinks: config.messageLinks,
        },
      }
    },
  )
}
