/**
 * The demo's own "project members" table: the app's view of who was given access to the project, kept by the
 * demo's dev server (server/project-members.ts) from the BFF's signed webhook alone — never from the browser.
 */

/** Where the page reads the table (same origin as the page: the demo's dev server). */
export const PROJECT_MEMBERS_PATH = '/api/project-members'

export type ProjectMemberStatus = 'Invited' | 'Accepted'

/** One guest, keyed by their Entra object id (`data.invitation.invitedUserId`). */
export interface ProjectMember {
  objectId: string
  email: string
  displayName: string | null
  status: ProjectMemberStatus
  /** The time of the latest event applied to this row. */
  updatedAt: string
}

/** `GET /api/project-members`. */
export interface ProjectMembersAnswer {
  /** `false` when the dev server was started without a webhook secret (not through `pnpm dev`): nothing arrives. */
  receiving: boolean
  /** Oldest first. */
  members: ProjectMember[]
}

/**
 * What changed between two readings of the table, as one sentence for a polite live region, or `null` when nothing
 * did (or on the first reading, which is not news).
 *
 * @example
 * membersChange([], [{ objectId: 'a', email: 'ada@fabrikam.example', displayName: 'Ada', status: 'Invited', … }])
 * // 'Ada was added to the project members (Invited).'
 */
export function membersChange(before: ProjectMember[] | null, after: ProjectMember[]): string | null {
  if (before === null) return null
  const previous = new Map(before.map((member) => [member.objectId, member]))
  const sentences = after.flatMap((member) => {
    const name = member.displayName ?? member.email
    const earlier = previous.get(member.objectId)
    if (!earlier) return [`${name} was added to the project members (${member.status}).`]
    if (earlier.status !== member.status) return [`${name} is now ${member.status}.`]
    return []
  })
  return sentences.length > 0 ? sentences.join(' ') : null
}
