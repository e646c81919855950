import { GuestAccess } from '@entra-share/react/guest-access'
import '@entra-share/react/guest-access.css'
import { settings } from './settings.js'

const scopes = [settings.bffScope]

/**
 * The guests and approvals page (`#guests`): everyone sees the guests they shared with (access term, reviews, extend,
 * remove); holders of the approver role of the demo's approval preset (`presets.json`, `Invitations.Admin`) also see
 * the requests waiting for them. Loaded on demand, so the project page never downloads `@entra-share/react/guest-access`.
 */
export default function GuestsPage({ isApprover }: { isApprover: boolean }) {
  return (
    <>
      {isApprover && (
        <section className="demo-card" aria-labelledby="approvals-heading">
          <p className="demo-eyebrow">Approvals</p>
          <h1 id="approvals-heading">Guest requests</h1>
          <p>
            Sharing Apollo with its suppliers needs an approval: you hold the{' '}
            <code>{settings.adminRole}</code> role, one of its approvers. Approving invites the guest on your
            behalf; the person who asked stays their sponsor.
          </p>
          <GuestAccess view="approvals" bffUrl={settings.bffUrl} scopes={scopes} />
        </section>
      )}
      <section className="demo-card" aria-labelledby="my-guests-heading">
        <p className="demo-eyebrow">Guests</p>
        <h1 id="my-guests-heading">People you shared with</h1>
        <GuestAccess bffUrl={settings.bffUrl} scopes={scopes} />
      </section>
    </>
  )
}
