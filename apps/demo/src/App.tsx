import { InteractionRequiredAuthError, InteractionStatus } from '@azure/msal-browser'
import { AuthenticatedTemplate, UnauthenticatedTemplate, useMsal } from '@azure/msal-react'
import { createBffClient, type Invitation } from '@entra-share/client'
import { ShareButton } from '@entra-share/react'
import '@entra-share/react/styles.css'
import { lazy, Suspense, useCallback, useEffect, useState, useSyncExternalStore } from 'react'
import { ProjectMembers } from './ProjectMembers.js'
import { useBffRoles } from './roles.js'
import { settings } from './settings.js'

// The bulk entry of @entra-share/react (and its CSS) is fetched only when an administrator signs in.
const BulkInviteAdmin = lazy(() => import('./BulkInviteAdmin.js'))
// The guests and approvals page, and @entra-share/react/guest-access, are fetched when it is opened.
const GuestsPage = lazy(() => import('./GuestsPage.js'))

/** The page the URL's hash names: `#guests` for guests and approvals, else the project. */
const subscribeToHash = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}
const currentPage = () => (window.location.hash === '#guests' ? 'guests' : 'project')

const scopes = [settings.bffScope]
const REFRESH_SECONDS = 5
// Every call brings the token just acquired; MSAL decides when to refresh it.
const bff = createBffClient({ baseUrl: settings.bffUrl })

/** The caller's invitations; pending ones are read one by one, which refreshes the guest's state from Graph. */
async function loadInvitations(accessToken: string): Promise<Invitation[]> {
  const page = await bff.listInvitations({ limit: 50 }, { accessToken })
  return Promise.all(
    page.items.map((item) =>
      item.externalUserState === 'Accepted'
        ? item
        : bff.getInvitation(item.id, { accessToken }).catch(() => item),
    ),
  )
}

export function App() {
  const { instance, inProgress } = useMsal()
  const account = instance.getActiveAccount()
  const page = useSyncExternalStore(subscribeToHash, currentPage)
  return (
    <>
      <header className="demo-header">
        <span className="demo-brand">Contoso Projects</span>
        <AuthenticatedTemplate>
          <nav aria-label="Pages" className="demo-nav">
            <a
              href="#project"
              className="demo-nav__link"
              aria-current={page === 'project' ? 'page' : undefined}
            >
              Project
            </a>
            <a
              href="#guests"
              className="demo-nav__link"
              aria-current={page === 'guests' ? 'page' : undefined}
            >
              Guests and approvals
            </a>
          </nav>
          <span className="demo-user">{account?.name ?? account?.username}</span>
          <button type="button" className="demo-link" onClick={() => instance.logoutRedirect()}>
            Sign out
          </button>
        </AuthenticatedTemplate>
      </header>
      <main className="demo-main">
        <UnauthenticatedTemplate>
          <h1>Welcome</h1>
          <p>Sign in with your work account to see your projects.</p>
          <button
            type="button"
            className="demo-primary"
            disabled={inProgress !== InteractionStatus.None}
            onClick={() => instance.loginRedirect({ scopes })}
          >
            Sign in
          </button>
        </UnauthenticatedTemplate>
        <AuthenticatedTemplate>{page === 'guests' ? <GuestsRoute /> : <ProjectPage />}</AuthenticatedTemplate>
      </main>
    </>
  )
}

function GuestsRoute() {
  const roles = useBffRoles()
  if (!roles) return <p>Loading…</p>
  return (
    <Suspense fallback={<p>Loading the guests…</p>}>
      <GuestsPage isApprover={roles.includes(settings.adminRole)} />
    </Suspense>
  )
}

function ProjectPage() {
  const { instance } = useMsal()
  const roles = useBffRoles()
  const [invitations, setInvitations] = useState<Invitation[] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)

  const refresh = useCallback(async () => {
    const account = instance.getActiveAccount()
    if (!account) return
    try {
      const { accessToken } = await instance.acquireTokenSilent({ scopes, account })
      setInvitations(await loadInvitations(accessToken))
      setLoadError(null)
    } catch (error) {
      if (error instanceof InteractionRequiredAuthError)
        return instance.acquireTokenRedirect({ scopes, account })
      setLoadError(error instanceof Error ? error.message : String(error))
    }
  }, [instance])

  useEffect(() => {
    void refresh()
    // Guests redeem elsewhere; poll while someone is still pending so "Accepted" shows up by itself.
    const timer = setInterval(() => void refresh(), REFRESH_SECONDS * 1000)
    return () => clearInterval(timer)
  }, [refresh])

  return (
    <>
      <article className="demo-card demo-project">
        <div className="demo-project__title">
          <div>
            <p className="demo-eyebrow">Project</p>
            <h1>Apollo</h1>
          </div>
          <ShareButton
            bffUrl={settings.bffUrl}
            scopes={scopes}
            onInvited={() => void refresh()}
            onPendingApproval={() => void refresh()}
          />
        </div>
        <p>
          Launch plan and supplier documents for the Apollo programme. Share it with partners outside Contoso.
        </p>
        <section aria-labelledby="people-heading">
          <div className="demo-section-title">
            <h2 id="people-heading">External people</h2>
            <button type="button" className="demo-link" onClick={() => void refresh()}>
              Refresh
            </button>
          </div>
          {loadError && <p role="alert">Could not load the people list: {loadError}</p>}
          {invitations === null ? (
            <p>Loading…</p>
          ) : invitations.length === 0 ? (
            <p>Nobody outside Contoso has access yet. Use Share to invite someone.</p>
          ) : (
            <table className="demo-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Status</th>
                  <th scope="col">Invited</th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((invitation) => (
                  <tr key={invitation.id} data-guest-id={invitation.invitedUserId}>
                    <td>{invitation.invitedUserDisplayName ?? '—'}</td>
                    <td>{invitation.invitedUserEmailAddress}</td>
                    <td>
                      <span className="demo-status" data-state={invitation.externalUserState}>
                        {invitation.externalUserState === 'Accepted' ? 'Accepted' : 'Pending'}
                      </span>
                    </td>
                    <td>{new Date(invitation.createdAt).toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </article>
      <ProjectMembers />
      {roles?.includes(settings.adminRole) ? (
        <Suspense fallback={<p>Loading the bulk invitations…</p>}>
          <BulkInviteAdmin onCompleted={() => void refresh()} />
        </Suspense>
      ) : (
        roles && (
          <p className="demo-note">
            Administrators (the <code>{settings.adminRole}</code> role) can also invite guests in bulk from a
            CSV file here.
          </p>
        )
      )}
    </>
  )
}
