import { expect, waitFor, within } from 'storybook/test'
import { testBffUrl } from '../../testing/bff-handlers.js'
import { testNow } from '../../testing/guest-handlers.js'

/** The props every guest story starts from: the MSW-mocked BFF, a BFF scope, and the fixtures' "now". */
export const guestStoryTarget = { bffUrl: testBffUrl, scopes: ['api://bff/Invitations.Send'], now: testNow }

/** A row of the table by the guest's email address, once the list has arrived. */
export function findRow(canvasElement: HTMLElement, email: string): Promise<HTMLElement> {
  return within(canvasElement).findByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) })
}

/** The cells of a row after its guest, as a person reads them. */
export function rowCells(row: HTMLElement): string[] {
  return within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent ?? '')
}

/** The live region's text, once it says `text`. */
export async function expectAnnounced(canvasElement: HTMLElement, text: string): Promise<void> {
  await waitFor(() => expect(within(canvasElement).getByRole('status')).toHaveTextContent(text), {
    timeout: 5_000,
  })
}

/** The root's `data-status`. */
export async function expectGuestsStatus(canvasElement: HTMLElement, status: string): Promise<void> {
  await waitFor(() =>
    expect(canvasElement.querySelector('.es-Guests')).toHaveAttribute('data-status', status),
  )
}
