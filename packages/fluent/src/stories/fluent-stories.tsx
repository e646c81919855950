import { MsalEntraShareProvider } from '@entra-share/react/msal'
import {
  FluentProvider,
  makeStyles,
  type Theme,
  teamsHighContrastTheme,
  tokens,
  webDarkTheme,
  webLightTheme,
} from '@fluentui/react-components'
import type { Decorator, StoryObj } from '@storybook/react-vite'
import type { ReactElement } from 'react'
import { expect, userEvent, waitFor, within } from 'storybook/test'

// The frame's pinned fonts (.storybook/preview.tsx loads them) instead of Segoe UI, which this machine lacks: a
// screenshot then looks the same everywhere.
const storyFonts = {
  fontFamilyBase: '"Story Sans", "Story Arabic", "Story JP", sans-serif',
  fontFamilyMonospace: '"Story Mono", monospace',
  fontFamilyNumeric: '"Story Sans", sans-serif',
} satisfies Partial<Theme>

/** The Fluent themes every state is shown in, one story each. */
export const fluentThemes = {
  webLight: { ...webLightTheme, ...storyFonts },
  webDark: { ...webDarkTheme, ...storyFonts },
  teamsHighContrast: { ...teamsHighContrastTheme, ...storyFonts },
} satisfies Record<string, Theme>

export type FluentThemeName = keyof typeof fluentThemes

/** The story parameters the Fluent decorator reads. */
export interface FluentStoryParameters {
  /** @default 'webLight' */
  fluentTheme?: FluentThemeName
  /** The FluentProvider's direction (Griffel mirrors Fluent's styles by it). @default 'ltr' */
  fluentDir?: 'ltr' | 'rtl'
}

const useFrameStyles = makeStyles({
  frame: { padding: tokens.spacingHorizontalL },
})

function FluentFrame({
  parameters,
  children,
}: {
  parameters: FluentStoryParameters
  children: ReactElement
}) {
  return (
    <FluentProvider
      theme={fluentThemes[parameters.fluentTheme ?? 'webLight']}
      dir={parameters.fluentDir ?? 'ltr'}
      className={useFrameStyles().frame}
    >
      {children}
    </FluentProvider>
  )
}

/**
 * The Fluent stories' page: a FluentProvider in the story's theme, and the token seam of the built
 * `@entra-share/react` these components import (the preview's provider is the package source's, another context),
 * on the preview's MSAL test double.
 */
export const withFluent: Decorator = (Story, { parameters }) => (
  <FluentFrame parameters={parameters as FluentStoryParameters}>
    <MsalEntraShareProvider>
      <Story />
    </MsalEntraShareProvider>
  </FluentFrame>
)

/** The meta fields of every Fluent story file: the decorator, and one picture per story (its theme is its mode). */
export const fluentMeta = {
  decorators: [withFluent],
  parameters: { visual: { ownModeOnly: true } },
}

/** `story` in one Fluent theme: the frame around it dark for the dark themes. */
export function inTheme<S extends Pick<StoryObj, 'parameters' | 'globals'>>(
  fluentTheme: FluentThemeName,
  story: S,
): S {
  return {
    ...story,
    parameters: { ...story.parameters, fluentTheme },
    globals: { ...story.globals, theme: fluentTheme === 'webLight' ? 'light' : 'dark' },
  }
}

/** Waits until `GET /api/config` has answered (the Access dropdown appears), so the form is complete. */
export async function formReady(canvasElement: HTMLElement): Promise<void> {
  await within(canvasElement).findByRole('combobox', { name: 'Access' })
}

/** The email field (its label also carries Fluent's required mark). */
export function emailField(canvasElement: HTMLElement): HTMLElement {
  return within(canvasElement).getByLabelText(/^Email address/)
}

/** Types Ada's email and name and presses Share, as a person would. */
export async function fillAndShare(
  canvasElement: HTMLElement,
  email = 'ada@fabrikam.example',
): Promise<void> {
  const canvas = within(canvasElement)
  await userEvent.type(emailField(canvasElement), email)
  await userEvent.type(canvas.getByLabelText('Name'), 'Ada Lovelace')
  await userEvent.click(canvas.getByRole('button', { name: 'Share' }))
}

/** The error summary (its sentence is also in the live region, so a text query would find two). */
export function findAlert(canvasElement: HTMLElement): Promise<HTMLElement> {
  return waitFor(
    () => {
      const alert = canvasElement.querySelector<HTMLElement>('.es-FluentShare__alert')
      if (!alert) throw new Error('no error summary yet')
      return alert
    },
    { timeout: 5_000 },
  )
}

/** The root's `data-status`. */
export async function expectStatus(canvasElement: HTMLElement, status: string): Promise<void> {
  await waitFor(() =>
    expect(canvasElement.querySelector('.es-FluentShare')).toHaveAttribute('data-status', status),
  )
}

/** Focus moves in an effect after the render that shows the element, so wait for it. */
export async function expectFocused(element: HTMLElement): Promise<void> {
  await waitFor(() => expect(element).toHaveFocus())
}
