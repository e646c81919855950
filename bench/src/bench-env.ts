/**
 * The BFF's rate limits and hourly invitation quotas opened wide, for benchmarks that start the BFF as a process
 * (environment variables only): the limits are not what they measure, and a quota counts invitations already in the
 * database, so a second run on one store would hit it.
 */
export const UNLIMITED_ENV = {
  ENTRA_SHARE_RATE_LIMIT_PER_USER: '1000000',
  ENTRA_SHARE_RATE_LIMIT_PER_TENANT: '1000000',
  ENTRA_SHARE_INVITATION_QUOTA_PER_USER: '1000000',
  ENTRA_SHARE_INVITATION_QUOTA_PER_ADMIN: '1000000',
  ENTRA_SHARE_INVITATION_QUOTA_PER_TENANT: '1000000',
} as const
