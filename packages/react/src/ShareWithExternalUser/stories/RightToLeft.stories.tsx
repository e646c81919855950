import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { ShareWithExternalUser } from '../ShareWithExternalUser.js'
import { expectFocused, formReady, storyTarget } from './story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/styles.css'

/** Inside `dir="rtl"` (the Direction toolbar) the layout mirrors: spacing and borders use logical properties. */
const meta = {
  title: 'ShareWithExternalUser/Right to left',
  component: ShareWithExternalUser,
  args: {
    ...storyTarget,
    onInvited: fn(),
    onError: fn(),
    strings: {
      title: 'שיתוף עם משתמש חיצוני',
      intro: 'הזמינו מישהו מחוץ לארגון. הם יקבלו קישור לקבלת ההזמנה.',
      submit: 'שיתוף',
      successTitleEmailed: 'ההזמנה נשלחה',
    },
  },
  globals: { direction: 'rtl' },
} satisfies Meta<typeof ShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

export const RightToLeft: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'שיתוף עם משתמש חיצוני' })).toBeVisible()
    await formReady(canvasElement)
    const email = canvas.getByLabelText('Email address')
    await expect(getComputedStyle(email).direction).toBe('rtl')
    // the label starts at the right edge of the form
    const form = canvasElement.querySelector('.es-Share__form') as HTMLElement
    const label = canvas.getByText('Email address', { selector: 'label' })
    await expect(
      Math.abs(form.getBoundingClientRect().right - label.getBoundingClientRect().right),
    ).toBeLessThan(2)
    await userEvent.type(email, 'ada@fabrikam.example')
    await userEvent.click(canvas.getByRole('button', { name: 'שיתוף' }))
    await expectFocused(await canvas.findByRole('heading', { name: 'ההזמנה נשלחה' }))
  },
}
