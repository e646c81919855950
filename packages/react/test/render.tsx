import { MsalProvider } from '@azure/msal-react'
import { type RenderResult, render } from '@testing-library/react'
import { type UserEvent, userEvent } from '@testing-library/user-event'
import axe from 'axe-core'
import type { ReactElement, ReactNode } from 'react'
import { MsalEntraShareProvider } from '../src/msal/index.js'
import { createMsalStandIn, type MsalStandIn, type MsalStandInOptions } from '../src/testing/msal-stand-in.js'

/** A wrapper for `render` or `renderHook`: msal-react's provider with `msal`, and the MSAL token seam. */
export function msalWrapper(msal: MsalStandIn) {
  return ({ children }: { children: ReactNode }) => (
    <MsalProvider instance={msal}>
      <MsalEntraShareProvider>{children}</MsalEntraShareProvider>
    </MsalProvider>
  )
}

/** Renders `ui` with the MSAL test double as its token source; returns the user and the double. */
export function renderWithMsal(
  ui: ReactElement,
  msalOptions: MsalStandInOptions = {},
): RenderResult & { user: UserEvent; msal: MsalStandIn } {
  const msal = createMsalStandIn(msalOptions)
  const user = userEvent.setup()
  const view = render(ui, { wrapper: msalWrapper(msal) })
  return { ...view, user, msal }
}

/** axe-core violations in `container` (jsdom cannot compute colours, so contrast is left to the browser tests). */
export async function axeViolations(container: Element): Promise<string[]> {
  const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } })
  return results.violations.map((violation) => `${violation.id}: ${violation.help}`)
}
