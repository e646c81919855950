import type { Invitation, InvitationPage } from '@entra-share/contracts'

/** Reads the caller's invitations from the BFF; pending ones are read one by one so Graph's state is fresh. */
export async function fetchInvitations(bffUrl: string, token: string): Promise<Invitation[]> {
  const headers = { authorization: `Bearer ${token}` }
  const response = await fetch(`${bffUrl}/api/invitations?limit=50`, { headers })
  if (!response.ok) throw new Error(`The BFF answered ${response.status} when listing invitations.`)
  const page = (await response.json()) as InvitationPage
  return Promise.all(
    page.items.map(async (item) => {
      if (item.externalUserState === 'Accepted') return item
      const fresh = await fetch(`${bffUrl}/api/invitations/${item.id}`, { headers })
      return fresh.ok ? ((await fresh.json()) as Invitation) : item
    }),
  )
}
