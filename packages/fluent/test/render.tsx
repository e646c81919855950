import { EntraShareLocaleProvider, EntraShareTokenProvider, type LocalePack } from '@entra-share/react'
import { FluentProvider, webLightTheme } from '@fluentui/react-components'
import { type RenderResult, render } from '@testing-library/react'
import { type UserEvent, userEvent } from '@testing-library/user-event'
import axe from 'axe-core'
import type { ReactElement } from 'react'

/** The token every test's `getAccessToken` resolves. */
export const testToken = 'token-for-fluent-tests'

/** Renders `ui` in a FluentProvider with a token seam (and the locale packs, when given); returns the user. */
export function renderInFluent(
  ui: ReactElement,
  { packs }: { packs?: LocalePack[] } = {},
): RenderResult & { user: UserEvent } {
  const user = userEvent.setup()
  const tree = (
    <FluentProvider theme={webLightTheme}>
      <EntraShareTokenProvider getAccessToken={async () => testToken}>{ui}</EntraShareTokenProvider>
    </FluentProvider>
  )
  const view = render(
    packs ? <EntraShareLocaleProvider packs={packs}>{tree}</EntraShareLocaleProvider> : tree,
  )
  return { ...view, user }
}

/** axe-core violations in `container` (jsdom cannot compute colours: contrast is left to the stories in Chromium). */
export async function axeViolations(container: Element): Promise<string[]> {
  const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } })
  return results.violations.map((violation) => `${violation.id}: ${violation.help}`)
}
