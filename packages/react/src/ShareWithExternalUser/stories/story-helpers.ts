import type { InvitationStep } from '@entra-share/contracts'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { testBffUrl } from '../../testing/bff-handlers.js'

/** The props every story starts from: the MSW-mocked BFF and a BFF scope. */
export const storyTarget = { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'] }

/** Waits until `GET /api/config` has answered (the Access select appears), so the form is complete. */
export async function formReady(canvasElement: HTMLElement): Promise<void> {
  await within(canvasElement).findByLabelText('Access')
}

/** Types Ada's email and name and presses Share, as a person would. */
export async function fillAndShare(
  canvasElement: HTMLElement,
  email = 'ada@fabrikam.example',
): Promise<void> {
  const canvas = within(canvasElement)
  await userEvent.type(canvas.getByLabelText('Email address'), email)
  await userEvent.type(canvas.getByLabelText('Name'), 'Ada Lovelace')
  await userEvent.click(canvas.getByRole('button', { name: 'Share' }))
}

/** The error summary (its sentence is also in the live region, so a text query would find two). */
export function findAlert(canvasElement: HTMLElement): Promise<HTMLElement> {
  return waitFor(
    () => {
      const alert = canvasElement.querySelector<HTMLElement>('.es-Share__alert')
      if (!alert) throw new Error('no error summary yet')
      return alert
    },
    { timeout: 5_000 },
  )
}

/** The root's `data-status`. */
export async function expectStatus(canvasElement: HTMLElement, status: string): Promise<void> {
  await waitFor(() => expect(canvasElement.querySelector('.es-Share')).toHaveAttribute('data-status', status))
}

/** Focus moves in an effect after the render that shows the element, so wait for it. */
export async function expectFocused(element: HTMLElement): Promise<void> {
  await waitFor(() => expect(element).toHaveFocus())
}

/** The follow-up steps of a partial invitation: two groups and the name done, a licence and an app role to do. */
export const partialSteps: InvitationStep[] = [
  { name: 'invite', status: 'succeeded', attempts: 1 },
  { name: 'addToGroup', target: 'group-1', status: 'succeeded', attempts: 1 },
  { name: 'addToGroup', target: 'group-2', status: 'succeeded', attempts: 1 },
  { name: 'updateAttributes', status: 'succeeded', attempts: 1 },
  {
    name: 'assignLicense',
    target: 'sku-e3',
    status: 'pending',
    attempts: 2,
    code: 'license_unavailable',
    detail: 'SPE_E3 has no free units.',
  },
  { name: 'assignAppRole', target: 'role-reader', status: 'pending', attempts: 0 },
]

/** The success view's follow-up steps: `[data-status, text]` per item. */
export function stepLines(canvasElement: HTMLElement): string[][] {
  return [...canvasElement.querySelectorAll<HTMLElement>('.es-Share__steps li')].map((item) => [
    item.dataset.status ?? '',
    item.textContent ?? '',
  ])
}
