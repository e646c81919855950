import { BulkInvite, type BulkJob } from '@entra-share/react/bulk'
import '@entra-share/react/bulk.css'
import { settings } from './settings.js'

const scopes = [settings.bffScope]

/**
 * The administrators' section: `<BulkInvite>` on the same BFF and MSAL instance as the share button. Loaded on
 * demand (App.tsx imports it lazily), so people without the admin role never download the bulk code.
 */
export default function BulkInviteAdmin({ onCompleted }: { onCompleted?: (job: BulkJob) => void }) {
  return (
    <section className="demo-card demo-admin" aria-labelledby="bulk-heading">
      <p className="demo-eyebrow">Administration</p>
      <h2 id="bulk-heading">Invite guests in bulk</h2>
      <p>
        You hold the <code>{settings.adminRole}</code> role: invite many partners at once from a CSV file, one
        guest per row. Each row is checked and invited as Share… does; rows that cannot be invited are listed,
        and the results file has every row with its status.
      </p>
      <p>
        <a href={`${import.meta.env.BASE_URL}bulk-invite-template.csv`} download="bulk-invite-template.csv">
          Download the CSV template
        </a>{' '}
        — the Microsoft Entra admin center’s bulk-invite template, plus optional name, access (group preset)
        and usage-location columns. Its example row is skipped.
      </p>
      <BulkInvite bffUrl={settings.bffUrl} scopes={scopes} headingLevel={3} onCompleted={onCompleted} />
    </section>
  )
}
