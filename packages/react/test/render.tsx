import { MsalProvider } from '@azure/msal-react'
import { type RenderResult, render } from '@testing-library/react'
import { type UserEvent, userEvent } from '@testing-library/user-event'
import axe from 'axe-core'
import type { ReactElement } from 'react'
import { createMsalStandIn, type MsalStandIn, type MsalStandInOptions } from '../src/testing/msal-stand-in.js'

/** Renders `ui` inside msal-react's provider with the MSAL test double; returns the user and the double. */
export function renderWithMsal(
  ui: ReactElement,
  msalOptions: MsalStandInOptions = {},
): RenderResult & { user: UserEvent; msal: MsalStandIn } {
  const msal = createMsalStandIn(msalOptions)
  const user = userEvent.setup()
  const view = render(<MsalProvider instance={msal}>{ui}</MsalProvider>)
  return { ...view, user, msal }
}

/** axe-core violations in `container` (jsdom cannot compute colours, so contrast is left to the browser tests). */
export async function axeViolations(container: Element): Promise<string[]> {
  const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } })
  return results.violations.map((violation) => `${violation.id}: ${violation.help}`)
}
