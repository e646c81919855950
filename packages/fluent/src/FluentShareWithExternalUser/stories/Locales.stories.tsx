import { EntraShareLocaleProvider } from '@entra-share/react'
import { ar } from '@entra-share/react/locales/ar'
import { de } from '@entra-share/react/locales/de'
import { testBffUrl } from '@entra-share/react/testing'
import type { Decorator, Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, within } from 'storybook/test'
import { fluentMeta } from '../../stories/fluent-stories.js'
import { FluentShareWithExternalUser } from '../FluentShareWithExternalUser.js'

const withLocales: Decorator = (Story) => (
  <EntraShareLocaleProvider packs={[de, ar]}>
    <Story />
  </EntraShareLocaleProvider>
)

/**
 * The `locale` prop picks one of `<EntraShareLocaleProvider>`'s packs, as in `@entra-share/react`. For a
 * right-to-left language the FluentProvider is given `dir="rtl"` too, so Fluent's own styles mirror.
 */
const meta = {
  title: 'Fluent/ShareWithExternalUser/Locales',
  component: FluentShareWithExternalUser,
  ...fluentMeta,
  decorators: [...fluentMeta.decorators, withLocales],
  parameters: { ...fluentMeta.parameters },
  args: { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'], onInvited: fn() },
} satisfies Meta<typeof FluentShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

export const German: Story = {
  args: { locale: 'de' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('combobox', { name: de.share.presetLabel })
    await expect(canvas.getByRole('button', { name: de.share.submit })).toBeEnabled()
    await expect(canvasElement.querySelector('.es-FluentShare')).toHaveAttribute('lang', 'de')
  },
}

export const Arabic: Story = {
  args: { locale: 'ar' },
  parameters: { fluentDir: 'rtl' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await canvas.findByRole('combobox', { name: ar.share.presetLabel })
    await expect(canvas.getByRole('button', { name: ar.share.submit })).toBeEnabled()
    await expect(canvasElement.querySelector('.es-FluentShare')).toHaveAttribute('dir', 'rtl')
  },
}
