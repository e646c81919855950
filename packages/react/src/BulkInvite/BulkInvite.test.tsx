import { bulkTemplateHeaders, bulkTemplateVersionRow } from '@entra-share/contracts'
import { screen, waitFor, within } from '@testing-library/react'
import { createRef } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { axeViolations, renderWithMsal } from '../../test/render.js'
import { server } from '../../test/setup.js'
import { testBffUrl } from '../testing/bff-handlers.js'
import {
  type BulkHandlersOptions,
  type BulkScenario,
  bulkHandlers,
  type RecordedBulkCall,
  testBrokenFileDetail,
} from '../testing/bulk-handlers.js'
import type { MsalStandInOptions } from '../testing/msal-stand-in.js'
import { BulkInvite } from './BulkInvite.js'
import type { BulkInviteProps } from './BulkInvite.types.js'

const scopes = ['api://bff/Invitations.Send']
const header = [...bulkTemplateHeaders.portal, ...bulkTemplateHeaders.extended].join(',')
const csv = (...rows: string[]) => [bulkTemplateVersionRow, header, ...rows].join('\n')
const goodFile = csv('ada@fabrikam.example,,true,,Ada Lovelace,,', 'grace@fabrikam.example,,,,Grace Hopper,,')

function renderBulk(
  scenario: BulkScenario = 'runs',
  options: BulkHandlersOptions = {},
  props: Partial<Omit<BulkInviteProps, 'bffUrl' | 'client'>> = {},
  msal: MsalStandInOptions = {},
) {
  const calls: RecordedBulkCall[] = []
  server.use(...bulkHandlers(scenario, { onCall: (call) => calls.push(call), ...options }))
  const view = renderWithMsal(
    <BulkInvite bffUrl={testBffUrl} scopes={scopes} pollIntervalMs={10} {...props} />,
    msal,
  )
  return { ...view, calls }
}

async function chooseFile(user: ReturnType<typeof renderBulk>['user'], text = goodFile) {
  await user.upload(screen.getByLabelText('CSV file'), new File([text], 'guests.csv', { type: 'text/csv' }))
}

const root = (container: HTMLElement) => container.querySelector('.es-Bulk')

afterEach(() => vi.restoreAllMocks())

describe('<BulkInvite>', () => {
  it('starts empty with a labelled file input for CSV files and no axe violations', async () => {
    const { container } = renderBulk()
    expect(screen.getByRole('region', { name: 'Invite guests from a file' })).toHaveAttribute(
      'data-status',
      'idle',
    )
    const input = screen.getByLabelText('CSV file')
    expect(input).toHaveAttribute('type', 'file')
    expect(input).toHaveAttribute('accept', '.csv,text/csv')
    expect(input).toHaveAccessibleDescription('Choose the file, or drop it here.')
    expect(screen.queryByRole('button', { name: 'Start inviting' })).not.toBeInTheDocument()
    expect(await axeViolations(container)).toEqual([])
  })

  it('previews the first rows with their problems before anything is sent', async () => {
    const { user, container, calls } = renderBulk()
    await chooseFile(
      user,
      csv(
        'Example: someone@example.com,https://myapplications.microsoft.com,true,,,,',
        'ada@fabrikam.example,,,,Ada,,',
        'not-an-address,,,,,,',
        'ADA@fabrikam.example,,,,,,',
      ),
    )
    const table = await screen.findByRole('table', { name: 'The first 3 rows of guests.csv' })
    const rows = within(table).getAllByRole('row').slice(1)
    expect(rows.map((row) => row.textContent)).toEqual([
      '4ada@fabrikam.exampleAdaReady',
      "5not-an-addressEmail address to invite is not a valid email address (row 5: 'not-an-address').",
      "6ADA@fabrikam.exampleEmail address to invite repeats row 4, which is the one invited (row 6: 'ADA@fabrikam.example').",
    ])
    expect(screen.getByText('3 rows to invite · 2 with problems')).toBeInTheDocument()
    expect(screen.getByText('The template’s example row will be skipped.')).toBeInTheDocument()
    expect(root(container)).toHaveAttribute('data-status', 'ready')
    expect(calls).toEqual([])
    expect(await axeViolations(container)).toEqual([])
  })

  it('accepts a dropped file', async () => {
    const { container } = renderBulk()
    const zone = container.querySelector('.es-Bulk__drop') as HTMLElement
    const file = new File([goodFile], 'dropped.csv', { type: 'text/csv' })
    const { fireEvent } = await import('@testing-library/react')
    fireEvent.dragOver(zone, { dataTransfer: { files: [file] } })
    expect(zone).toHaveAttribute('data-dragging')
    fireEvent.drop(zone, { dataTransfer: { files: [file] } })
    expect(await screen.findByRole('table', { name: 'The first 2 rows of dropped.csv' })).toBeInTheDocument()
    expect(zone).not.toHaveAttribute('data-dragging')
  })

  it('says when the file is not the template', async () => {
    const { user } = renderBulk()
    await chooseFile(user, 'email,name\nada@fabrikam.example,Ada')
    expect(
      await screen.findByText(/Row 1 is not the template’s header row: no column has “\[inviteeEmail\]”/),
    ).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Start inviting' })).toBeDisabled()
  })

  it('uploads the file as text/csv, announces the start, shows progress and completes', async () => {
    const onCompleted = vi.fn()
    const { user, container, calls } = renderBulk(
      'runs',
      { totalRows: 2000, failedRows: 3, polls: 3 },
      { onCompleted },
    )
    await chooseFile(user)
    await user.click(await screen.findByRole('button', { name: 'Start inviting' }))
    expect(await screen.findByRole('status')).toHaveTextContent('Inviting 2,000 guests.')
    const upload = calls.find((call) => call.method === 'upload')
    expect(upload).toMatchObject({
      authorization: 'Bearer stand-in-token',
      contentType: 'text/csv',
      body: goodFile,
    })
    await screen.findByRole('heading', { name: 'Invitations finished' }, { timeout: 3_000 })
    expect(screen.getByText('1,997 invited · 3 failed.')).toBeInTheDocument()
    const bar = screen.getByRole('progressbar', { name: 'Invitations' })
    expect(bar).toHaveAttribute('value', '2000')
    expect(bar).toHaveAttribute('max', '2000')
    expect(screen.getByRole('status')).toHaveTextContent('Invitations finished: 1,997 invited, 3 failed.')
    expect(root(container)).toHaveAttribute('data-status', 'completed')
    // onCompleted runs in an effect, which React may flush a moment after the finished view is painted.
    await waitFor(() => expect(onCompleted).toHaveBeenCalledTimes(1))
    expect(onCompleted.mock.calls[0]?.[0]).toMatchObject({ status: 'completed' })
    expect(calls.filter((call) => call.method === 'get').length).toBe(3)
    expect(screen.queryByRole('button', { name: /Cancel/ })).not.toBeInTheDocument()
    expect(await axeViolations(container)).toEqual([])
  })

  it('shows the counts and the time left while the job runs', async () => {
    const { user, container } = renderBulk(
      'runs',
      { totalRows: 2000, failedRows: 3, polls: 100_000 },
      { pollIntervalMs: 60_000 },
    )
    await chooseFile(user)
    await user.click(await screen.findByRole('button', { name: 'Start inviting' }))
    const bar = await screen.findByRole('progressbar', { name: 'Invitations' })
    expect(bar).toHaveAccessibleDescription('0 of 2,000 invited · 0 failed · about 3 min left')
    expect(root(container)).toHaveAttribute('data-status', 'running')
    expect(screen.getByRole('button', { name: 'Cancel the remaining invitations' })).toBeEnabled()
    expect(await axeViolations(container)).toEqual([])
  })

  it('lists the rows refused at upload with their row numbers and reasons', async () => {
    const { user } = renderBulk(
      'runs',
      {
        totalRows: 3,
        polls: 100_000,
        rejectedRows: [
          {
            rowNumber: 4,
            email: 'x@blocked.example',
            code: 'domain_not_allowed',
            detail: 'blocked.example is blocked.',
          },
          {
            rowNumber: 5,
            email: 'nope',
            code: 'invalid_email',
            detail: "Email address to invite is not a valid email address (row 5: 'nope').",
          },
          { rowNumber: 6, email: 'ada@fabrikam.example', code: 'duplicate_in_file', detail: '' },
        ],
      },
      { pollIntervalMs: 60_000 },
    )
    await chooseFile(user)
    await user.click(await screen.findByRole('button', { name: 'Start inviting' }))
    const table = await screen.findByRole('table', { name: 'Rows refused at upload' })
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((row) => row.textContent),
    ).toEqual([
      // one sentence each: the server's detail, which says what is wrong and where
      '4x@blocked.exampleblocked.example is blocked.',
      "5nopeEmail address to invite is not a valid email address (row 5: 'nope').",
      // without a detail, the code's own sentence
      '6ada@fabrikam.exampleThe address appears earlier in the same file; it is invited once.',
    ])
  })

  it('shows the upload refused for a broken file, with the server’s sentence', async () => {
    const onError = vi.fn()
    const { user, container } = renderBulk('brokenFile', {}, { onError })
    await chooseFile(user)
    await user.click(await screen.findByRole('button', { name: 'Start inviting' }))
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveAttribute('data-code', 'invalid_request')
    expect(alert).toHaveTextContent('The file was not accepted')
    expect(alert).toHaveTextContent('The file is not the bulk-invite template.')
    expect(alert).toHaveTextContent(testBrokenFileDetail)
    expect(root(container)).toHaveAttribute('data-status', 'refused')
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'invalid_request' }))
    // another file can be chosen at once
    expect(screen.getByLabelText('CSV file')).toBeInTheDocument()
    expect(await axeViolations(container)).toEqual([])
  })

  it('shows the uploading state while the upload is in flight', async () => {
    const { user, container } = renderBulk('uploadPending')
    await chooseFile(user)
    await user.click(await screen.findByRole('button', { name: 'Start inviting' }))
    const button = await screen.findByRole('button', { name: 'Uploading…' })
    expect(button).toBeDisabled()
    expect(button).toHaveAttribute('aria-busy', 'true')
    expect(root(container)).toHaveAttribute('data-status', 'uploading')
    expect(screen.queryByLabelText('CSV file')).not.toBeInTheDocument()
  })

  it('pauses for sign-in: the button signs in interactively and the job resumes', async () => {
    const { user, container, msal } = renderBulk(
      'pausedReauth',
      { totalRows: 10, polls: 2 },
      {},
      // upload, first poll (answered paused_reauth), silent refused (poll, then the click: a popup), then cached again
      { silent: ['token', 'token', 'interaction_required', 'interaction_required', 'token'] },
    )
    await chooseFile(user)
    await user.click(await screen.findByRole('button', { name: 'Start inviting' }))
    const signIn = await screen.findByRole('button', { name: 'Sign in to continue' })
    expect(root(container)).toHaveAttribute('data-status', 'paused_reauth')
    expect(screen.getByText('Sign in again to continue')).toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent('Invitations paused: sign in again to continue.')
    expect(await axeViolations(container)).toEqual([])
    await user.click(signIn)
    await screen.findByRole('heading', { name: 'Invitations finished' }, { timeout: 3_000 })
    expect(msal.calls.map((call) => call.method)).toContain('acquireTokenPopup')
    expect(screen.queryByRole('button', { name: 'Sign in to continue' })).not.toBeInTheDocument()
  })

  it('cancels the remaining invitations', async () => {
    const onCompleted = vi.fn()
    const { user, container, calls } = renderBulk(
      'runs',
      { totalRows: 2000, failedRows: 0, polls: 100_000 },
      { onCompleted, pollIntervalMs: 60_000 },
    )
    await chooseFile(user)
    await user.click(await screen.findByRole('button', { name: 'Start inviting' }))
    await user.click(await screen.findByRole('button', { name: 'Cancel the remaining invitations' }))
    await screen.findByRole('heading', { name: 'Invitations cancelled' })
    expect(screen.getByText('0 invited · 0 failed · 2,000 not sent.')).toBeInTheDocument()
    expect(calls.map((call) => call.method)).toContain('cancel')
    expect(root(container)).toHaveAttribute('data-status', 'cancelled')
    await waitFor(() =>
      expect(onCompleted).toHaveBeenCalledWith(expect.objectContaining({ status: 'cancelled' })),
    )
    expect(screen.getByRole('status')).toHaveTextContent('Invitations cancelled')
  })

  it('downloads the results with the token as a CSV blob', async () => {
    const created: Blob[] = []
    const clicked: HTMLAnchorElement[] = []
    URL.createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob)
      return 'blob:results'
    })
    URL.revokeObjectURL = vi.fn()
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this)
    })
    const { user, calls } = renderBulk('runs', { totalRows: 4, polls: 1 })
    await chooseFile(user)
    await user.click(await screen.findByRole('button', { name: 'Start inviting' }))
    await user.click(await screen.findByRole('button', { name: 'Download results' }))
    await waitFor(() => expect(clicked).toHaveLength(1))
    expect(clicked[0]?.download).toMatch(/^bulk-invitations-.+\.csv$/)
    expect(clicked[0]?.href).toBe('blob:results')
    expect(await created[0]?.text()).toContain('[inviteeEmail]')
    expect(calls.find((call) => call.method === 'results')?.authorization).toBe('Bearer stand-in-token')
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Results downloaded.'))
    await waitFor(() => expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:results'))
  })

  it('starts over with another file after finishing', async () => {
    const { user } = renderBulk('runs', { totalRows: 4, polls: 1 })
    await chooseFile(user)
    await user.click(await screen.findByRole('button', { name: 'Start inviting' }))
    await user.click(await screen.findByRole('button', { name: 'Invite from another file' }))
    expect(screen.getByLabelText('CSV file')).toBeInTheDocument()
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument()
  })

  it('takes overridden strings, row reasons and error messages', async () => {
    const { user } = renderBulk(
      'brokenFile',
      {},
      {
        strings: {
          title: 'Inviter depuis un fichier',
          fileLabel: 'Fichier CSV',
          start: 'Commencer',
          rowProblems: { emailInvalid: '{column} : adresse non valide (ligne {row} : « {value} »).' },
          errors: { invalid_request: 'Ce fichier n’est pas le modèle.' },
        },
      },
    )
    expect(screen.getByRole('heading', { name: 'Inviter depuis un fichier' })).toBeInTheDocument()
    await user.upload(screen.getByLabelText('Fichier CSV'), new File([csv('oops,,,,,,')], 'f.csv'))
    expect(
      await screen.findByText('Email address to invite : adresse non valide (ligne 3 : « oops »).'),
    ).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Commencer' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Ce fichier n’est pas le modèle.')
  })

  it('fails loudly without bffUrl or client', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    expect(() => renderWithMsal(<BulkInvite {...({ scopes } as unknown as BulkInviteProps)} />)).toThrow(
      /pass `bffUrl`/,
    )
  })

  it('forwards its ref to the root element', async () => {
    const ref = createRef<HTMLElement>()
    const { user, container } = renderBulk('runs', {}, { ref })
    expect(ref.current).toBe(root(container))
    expect(ref.current?.tagName).toBe('SECTION')
    await chooseFile(user)
    expect(ref.current).toBe(root(container))
  })
})
