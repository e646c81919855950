/** `client_info`: base64url JSON `{"uid","utid"}` (user object id, home tenant id), from which MSAL keys its cache. */
export function clientInfo(userId: string, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: userId, utid: tenantId })).toString('base64url')
}
