import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, userEvent, within } from 'storybook/test'
import { ShareWithExternalUser } from '../ShareWithExternalUser.js'
import { findAlert, storyTarget } from './story-helpers.js'
// What a host app imports for this component (the built entry, as the README says).
import '@entra-share/react/styles.css'

/** Every text can be overridden (here in French) through `strings`; `errors` is merged code by code. */
const meta = {
  title: 'ShareWithExternalUser/Custom strings',
  component: ShareWithExternalUser,
  args: {
    ...storyTarget,
    onInvited: fn(),
    onError: fn(),
    strings: {
      title: 'Inviter une personne externe',
      intro: 'Invitez une personne hors de votre organisation. Elle reçoit un lien pour accepter.',
      emailLabel: 'Adresse e-mail',
      emailHint: 'Par exemple ada@fabrikam.com',
      displayNameLabel: 'Nom',
      displayNameHint: 'Comment la personne apparaît dans votre annuaire (facultatif).',
      presetLabel: 'Accès',
      presetNone: 'Aucun groupe',
      messageLabel: 'Message personnel (facultatif)',
      submit: 'Partager',
      errorTitle: 'L’invitation n’a pas été envoyée',
      requestId: 'Référence : {requestId}',
      errors: { rate_limited: 'Trop d’invitations en peu de temps. Patientez un instant.' },
      retry: 'Réessayer',
      waiting: 'Réessayer dans {seconds} s',
    },
  },
  parameters: { bff: { scenario: 'rate_limited', options: { retryAfterSeconds: 30 } } },
} satisfies Meta<typeof ShareWithExternalUser>

export default meta
type Story = StoryObj<typeof meta>

export const French: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('heading', { name: 'Inviter une personne externe' })).toBeVisible()
    await canvas.findByLabelText('Accès')
    await userEvent.type(canvas.getByLabelText('Adresse e-mail'), 'ada@fabrikam.example')
    await userEvent.click(canvas.getByRole('button', { name: 'Partager' }))
    const alert = await findAlert(canvasElement)
    await expect(alert).toHaveTextContent('L’invitation n’a pas été envoyée')
    await expect(alert).toHaveTextContent('Trop d’invitations en peu de temps. Patientez un instant.')
    await expect(alert).toHaveTextContent('Référence : req-rate_limited')
    // the countdown starts once the failure is shown
    await expect(await canvas.findByRole('button', { name: /^Réessayer dans \d+ s$/ })).toBeDisabled()
  },
}
