import { expect, userEvent, waitFor, within } from 'storybook/test'
import { testBffUrl } from '../../testing/bff-handlers.js'

/** The props every bulk story starts from: the MSW-mocked BFF, a BFF scope, a quick poll. */
export const bulkStoryTarget = {
  bffUrl: testBffUrl,
  scopes: ['api://bff/Invitations.Send'],
  pollIntervalMs: 300,
}

const header =
  'Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,' +
  'Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody],' +
  'Display name [displayName]'

/** The portal template with the example row and three guests. */
export const goodCsv = [
  'version:v1.0',
  header,
  'Example: someone@example.com,https://myapplications.microsoft.com,true,Hello,',
  'ada@fabrikam.example,,true,,Ada Lovelace',
  'grace@fabrikam.example,,true,"Welcome, Grace",Grace Hopper',
  'linus@fabrikam.example,,false,,Linus',
].join('\n')

/** A file with a bad address, a duplicate and a bad `sendEmail` cell. */
export const csvWithProblems = [
  'version:v1.0',
  header,
  'ada@fabrikam.example,,true,,Ada Lovelace',
  'not-an-address,,true,,Nobody',
  'ADA@fabrikam.example,,true,,Ada again',
  'grace@fabrikam.example,,maybe,,Grace Hopper',
].join('\n')

/** Picks `text` as `guests.csv` through the labelled file input, as a person would. */
export async function chooseCsv(canvasElement: HTMLElement, text = goodCsv): Promise<void> {
  const input = within(canvasElement).getByLabelText('CSV file')
  await userEvent.upload(input, new File([text], 'guests.csv', { type: 'text/csv' }))
}

/** Picks the file and presses Start. */
export async function chooseAndStart(canvasElement: HTMLElement, text = goodCsv): Promise<void> {
  await chooseCsv(canvasElement, text)
  await userEvent.click(await within(canvasElement).findByRole('button', { name: 'Start inviting' }))
}

/** The root's `data-status`. */
export async function expectBulkStatus(
  canvasElement: HTMLElement,
  status: string,
  timeout = 5_000,
): Promise<void> {
  await waitFor(
    () => expect(canvasElement.querySelector('.es-Bulk')).toHaveAttribute('data-status', status),
    {
      timeout,
    },
  )
}
