/** Route patterns, as fault and latency rules select requests. */

/** What a rule without `route` selects: every Microsoft Graph v1.0 request. */
export const GRAPH_ROUTES = '* /v1.0/*'

/**
 * Whether a request matches a rule's route: `"POST /v1.0/invitations"`, `"/v1.0/users/*"`, `"* /v1.0/*"`.
 * The method is optional and `*` matches any run of characters; paths compare case-insensitively.
 */
export function routeMatches(pattern: string, method: string, path: string): boolean {
  const [first, second] = pattern.trim().split(/\s+/, 2)
  const methodPattern = second === undefined ? '*' : (first as string)
  const pathPattern = second ?? (first as string)
  if (methodPattern !== '*' && methodPattern.toUpperCase() !== method.toUpperCase()) return false
  const regex = new RegExp(`^${pathPattern.split('*').map(escapeRegExp).join('.*')}$`, 'i')
  return regex.test(path)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
}
