import { ShareButton } from '@entra-share/react'
import { Account, SignedIn } from './account'

// A server component: `<ShareButton>` is a client component of @entra-share/react ("use client"), given
// serializable props. Functions (`onInvited`, `getAccessToken`…) need a client component of your own.
export default function ProjectPage() {
  return (
    <main>
      <h1>Project Apollo</h1>
      <Account />
      <SignedIn>
        <ShareButton
          bffUrl={process.env.NEXT_PUBLIC_ENTRA_SHARE_BFF_URL ?? ''}
          scopes={[process.env.NEXT_PUBLIC_ENTRA_SHARE_BFF_SCOPE ?? '']}
        >
          Share Apollo…
        </ShareButton>
      </SignedIn>
    </main>
  )
}
