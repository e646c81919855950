import { useCallback, useEffect, useRef, useState } from 'react'
import {
  membersChange,
  PROJECT_MEMBERS_PATH,
  type ProjectMember,
  type ProjectMembersAnswer,
} from './project-members.js'

/** The table changes when the BFF's webhook arrives, within a second or two of the change. */
const REFRESH_SECONDS = 2

/**
 * The app's own project members table, as its server keeps it from the BFF's signed webhook (no BFF call from the
 * page): each guest by Entra object id, Invited until they redeem, then Accepted. Re-read every two seconds while
 * the page is visible and whenever it regains focus; changes are announced in a polite live region.
 */
export function ProjectMembers() {
  const [answer, setAnswer] = useState<ProjectMembersAnswer | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [announcement, setAnnouncement] = useState('')
  const previous = useRef<ProjectMember[] | null>(null)

  const refresh = useCallback(async () => {
    try {
      const response = await fetch(PROJECT_MEMBERS_PATH, { headers: { accept: 'application/json' } })
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      const next = (await response.json()) as ProjectMembersAnswer
      const change = membersChange(previous.current, next.members)
      previous.current = next.members
      if (change) setAnnouncement(change)
      setAnswer(next)
      setLoadError(null)
    } catch (error) {
      setLoadError(error instanceof Error ? error.message : String(error))
    }
  }, [])

  useEffect(() => {
    void refresh()
    const timer = setInterval(() => {
      if (!document.hidden) void refresh()
    }, REFRESH_SECONDS * 1000)
    const onFocus = () => void refresh()
    window.addEventListener('focus', onFocus)
    return () => {
      clearInterval(timer)
      window.removeEventListener('focus', onFocus)
    }
  }, [refresh])

  return (
    <section className="demo-card demo-members" aria-labelledby="members-heading">
      <p className="demo-eyebrow">Apollo</p>
      <h2 id="members-heading">Project members</h2>
      <p>
        The app’s own table of the people given access, filled only by the entra-share BFF’s signed webhook: a
        guest appears when invited and shows Accepted once they redeem.
      </p>
      {/* Polite: changes are read out after what the user is doing; the alert below is for failures only. */}
      <p role="status" className="demo-visually-hidden">
        {announcement}
      </p>
      {loadError && <p role="alert">Could not load the project members: {loadError}</p>}
      {answer === null ? (
        !loadError && <p>Loading…</p>
      ) : !answer.receiving ? (
        <p>
          This dev server was not given the BFF’s webhook secret: start the demo with <code>pnpm dev</code> to
          receive its events.
        </p>
      ) : answer.members.length === 0 ? (
        <p>No members yet. Share the project with someone: they appear here when the BFF reports it.</p>
      ) : (
        <table className="demo-table">
          <caption className="demo-caption">
            Guests of project Apollo by Entra object id, as the BFF’s webhook reported them
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Object id</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {answer.members.map((member) => (
              <tr key={member.objectId} data-object-id={member.objectId}>
                <th scope="row">{member.displayName ?? '—'}</th>
                <td>{member.email}</td>
                <td>
                  <code>{member.objectId}</code>
                </td>
                <td>
                  <span
                    className="demo-status"
                    data-state={member.status === 'Accepted' ? 'Accepted' : 'PendingAcceptance'}
                  >
                    {member.status}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
