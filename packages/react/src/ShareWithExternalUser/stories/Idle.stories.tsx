import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, within } from 'storybook/test'
import { ShareWithExternalUser } from '../ShareWithExternalUser.js'
import { expectStatus, formReady, storyTarget } from './story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/styles.css'

/** The form as a host app first shows it; every prop is a control. */
const meta = {
  title: 'ShareWithExternalUser/Idle',
  component: ShareWithExternalUser,
  tags: ['autodocs'],
  args: { ...storyTarget, onInvited: fn(), onError: fn(), headingLevel: 2 },
  argTypes: {
    bffUrl: { control: false },
    client: { control: false },
    headingLevel: { control: 'inline-radio', options: [2, 3, 4, 5, 6] },
  },
  parameters: { bff: { scenario: 'emailSent' } },
} satisfies Meta<typeof ShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

export const Idle: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Share with an external user' })).toBeInTheDocument()
    await expect(canvas.getByLabelText('Email address')).toHaveValue('')
    await formReady(canvasElement)
    // the BFF sends invitation emails, so a personal message can travel
    await expect(canvas.getByLabelText('Personal message (optional)')).toBeInTheDocument()
    await expect(canvas.getByRole('button', { name: 'Share' })).toBeEnabled()
    await expectStatus(canvasElement, 'idle')
    await expect(args.onInvited).not.toHaveBeenCalled()
  },
}
