import type { Decorator, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { BulkInvite } from '../../BulkInvite/BulkInvite.js'
import { bulkStoryTarget, csvWithProblems } from '../../BulkInvite/stories/bulk-story-helpers.js'
import { formatString } from '../../format.js'
import { ShareButton } from '../../ShareButton/ShareButton.js'
import { partialSteps, storyTarget } from '../../ShareWithExternalUser/stories/story-helpers.js'
import { EntraShareLocaleProvider } from '../EntraShareLocaleProvider.js'
import type { LocalePack } from '../LocalePack.js'

/** A text as Testing Library reads the page: white space (French no-break spaces too) collapsed to one space. */
const asRead = (text: string) => text.replace(/\s+/g, ' ')

/** The provider with the one pack, chosen by its `locale` (English: no pack, the built-in strings). */
export function withLocale(pack: LocalePack, builtIn = false): Decorator {
  return (Story) => (
    <EntraShareLocaleProvider packs={builtIn ? [] : [pack]} locale={pack.locale}>
      <Story />
    </EntraShareLocaleProvider>
  )
}

/**
 * `<ShareButton>` in the pack's language: open the dialog, choose a preset and share; the invitation comes back
 * partial (two follow-up steps still to do), so the success view lists the steps and the live region counts them
 * with the language's plural form (`stepsToDo`, written out by each story file).
 */
export function shareDialogStory(pack: LocalePack, stepsToDo: string): StoryObj {
  const s = pack.share
  return {
    render: () => <ShareButton {...storyTarget} />,
    parameters: { bff: { scenario: 'partial', options: { invitation: { steps: partialSteps } } } },
    play: async ({ canvasElement }) => {
      const canvas = within(canvasElement)
      const trigger = canvas.getByRole('button', { name: s.openButton })
      await expect(trigger).toHaveAttribute('lang', pack.locale)
      await userEvent.click(trigger)
      const dialog = await canvas.findByRole('dialog', { name: s.dialogTitle })
      await expect(dialog).toHaveAttribute('dir', pack.dir)
      await expect(getComputedStyle(dialog).direction).toBe(pack.dir)
      const form = within(dialog)
      await userEvent.selectOptions(await form.findByLabelText(s.presetLabel), 'apollo')
      await userEvent.type(form.getByLabelText(s.emailLabel), 'ada@fabrikam.example')
      await userEvent.click(form.getByRole('button', { name: s.submit }))
      const heading = await form.findByRole('heading', { name: s.successTitleEmailed })
      await waitFor(() => expect(heading).toHaveFocus())
      const steps = form.getAllByRole('listitem')
      await expect(steps[0]).toHaveTextContent(
        asRead(formatString(s.addToGroupDone, { preset: 'Project Apollo' })),
      )
      await expect(steps[3]).toHaveTextContent(
        asRead(formatString(s.stepToDo, { step: s.assignAppRoleToDo, reason: s.stepRetried })),
      )
      await expect(form.getByRole('status')).toHaveTextContent(asRead(stepsToDo))
    },
  }
}

/**
 * `<BulkInvite>` in the pack's language with a file of four rows, three with problems: the table's caption takes
 * the plural form for four (`caption`), each problem is a sentence in the language.
 */
export function bulkPreviewStory(pack: LocalePack, caption: string): StoryObj {
  const s = pack.bulk
  return {
    render: () => <BulkInvite {...bulkStoryTarget} />,
    parameters: { bff: { options: { bulk: {} } } },
    play: async ({ canvasElement }) => {
      const canvas = within(canvasElement)
      const root = canvasElement.querySelector('.es-Bulk') as HTMLElement
      await expect(root).toHaveAttribute('lang', pack.locale)
      await expect(getComputedStyle(root).direction).toBe(pack.dir)
      await userEvent.upload(
        canvas.getByLabelText(s.fileLabel),
        new File([csvWithProblems], 'guests.csv', { type: 'text/csv' }),
      )
      const table = await canvas.findByRole('table', { name: asRead(caption) })
      const rows = within(table).getAllByRole('row').slice(1)
      await expect(rows[1]).toHaveTextContent(
        asRead(
          formatString(s.rowProblems.emailInvalid, {
            column: 'Email address to invite',
            row: 4,
            value: 'not-an-address',
          }),
        ),
      )
      await expect(canvas.getByRole('button', { name: s.start })).toBeEnabled()
    },
  }
}
