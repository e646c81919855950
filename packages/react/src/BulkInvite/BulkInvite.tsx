import type { ReactElement } from 'react'
import type { BulkInviteProps } from './BulkInvite.types.js'
import { renderBulkInvite } from './renderBulkInvite.js'
import { useBulkInvite } from './useBulkInvite.js'

/**
 * Invite many guests from the Entra admin portal's bulk-invite CSV: pick or drop the file, preview its first rows
 * with their problems, start, follow the progress (counts and time left), sign in again when the job pauses, cancel,
 * and download the results. Render it below a token provider (`<MsalEntraShareProvider>` or
 * `<EntraShareTokenProvider>`) or give it `getAccessToken`; import `@entra-share/react/bulk.css`.
 *
 * @example
 * import { BulkInvite } from '@entra-share/react/bulk'
 * import '@entra-share/react/bulk.css'
 *
 * <BulkInvite
 *   bffUrl="https://lob.contoso.com"
 *   scopes={['api://<BFF client id>/Invitations.Send']}
 *   onCompleted={(job) => console.log(job.counts.invited)}
 * />
 */
export function BulkInvite(props: BulkInviteProps): ReactElement {
  return renderBulkInvite(useBulkInvite(props))
}
