import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { ShareWithExternalUser } from '../ShareWithExternalUser.js'
import { fillAndShare, findAlert, formReady, partialSteps, stepLines, storyTarget } from './story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/styles.css'

/**
 * `data-theme="dark"` on an ancestor (here the Theme toolbar's wrapper) switches the custom properties; the a11y
 * addon checks the contrast of each state in the real browser.
 */
const meta = {
  title: 'ShareWithExternalUser/Dark theme',
  component: ShareWithExternalUser,
  args: { ...storyTarget, onInvited: fn(), onError: fn() },
  globals: { theme: 'dark' },
} satisfies Meta<typeof ShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

async function expectDark(canvasElement: HTMLElement): Promise<void> {
  const root = canvasElement.querySelector('.es-Share') as HTMLElement
  await expect(getComputedStyle(root).backgroundColor).toBe('rgb(41, 41, 41)')
  await expect(getComputedStyle(root).color).toBe('rgb(255, 255, 255)')
}

export const Form: Story = {
  play: async ({ canvasElement }) => {
    await formReady(canvasElement)
    await expectDark(canvasElement)
  },
}

export const ErrorSummary: Story = {
  parameters: { bff: { scenario: 'domain_not_allowed' } },
  play: async ({ canvasElement }) => {
    await formReady(canvasElement)
    await fillAndShare(canvasElement, 'ada@blocked.example')
    await expect(await findAlert(canvasElement)).toHaveAttribute('data-code', 'domain_not_allowed')
    await expectDark(canvasElement)
  },
}

export const Success: Story = {
  parameters: { bff: { scenario: 'emailSent' } },
  play: async ({ canvasElement }) => {
    await formReady(canvasElement)
    await fillAndShare(canvasElement)
    await within(canvasElement).findByRole('heading', { name: 'Invitation sent' })
    await expectDark(canvasElement)
  },
}

/** The follow-up steps in dark: the a11y addon checks their contrast. */
export const PartialWithSteps: Story = {
  parameters: { bff: { scenario: 'partial', options: { invitation: { steps: partialSteps } } } },
  play: async ({ canvasElement }) => {
    await formReady(canvasElement)
    await userEvent.selectOptions(within(canvasElement).getByLabelText('Access'), 'apollo')
    await fillAndShare(canvasElement)
    await within(canvasElement).findByRole('heading', { name: 'Invitation sent' })
    await expect(stepLines(canvasElement)).toHaveLength(4)
    await expectDark(canvasElement)
    const pending = canvasElement.querySelector('.es-Share__steps [data-status="pending"]') as Element
    // the muted token's dark value
    await expect(getComputedStyle(pending, '::before').color).toBe('rgb(173, 173, 173)')
  },
}
