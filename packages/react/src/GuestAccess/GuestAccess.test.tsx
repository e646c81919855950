import { act, renderHook, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { axeViolations, msalWrapper, renderWithMsal } from '../../test/render.js'
import { server } from '../../test/setup.js'
import { testBffUrl } from '../testing/bff-handlers.js'
import {
  type GuestHandlersOptions,
  guestHandlers,
  type RecordedGuestCall,
  testGuests,
  testNow,
} from '../testing/guest-handlers.js'
import { createMsalStandIn } from '../testing/msal-stand-in.js'
import { GuestAccess } from './GuestAccess.js'
import type { GuestAccessProps } from './GuestAccess.types.js'
import { useGuestAccess } from './useGuestAccess.js'

const scopes = ['api://bff/Invitations.Send']

function renderGuests(options: GuestHandlersOptions = {}, props: Partial<GuestAccessProps> = {}) {
  const calls: RecordedGuestCall[] = []
  server.use(...guestHandlers({ onCall: (call) => calls.push(call), ...options }))
  const view = renderWithMsal(
    <GuestAccess bffUrl={testBffUrl} scopes={scopes} now={testNow} {...(props as object)} />,
  )
  return { ...view, calls }
}

/** A row of the table by the guest's email address. */
async function row(email: string): Promise<HTMLElement> {
  return screen.findByRole('row', { name: new RegExp(email) })
}

/** The cells of a row, as a person reads them. */
function cells(element: HTMLElement): string[] {
  return within(element)
    .getAllByRole('cell')
    .map((cell) => cell.textContent ?? '')
}

describe('<GuestAccess>', () => {
  it('lists the guests with status, access term and review, each action named with its guest', async () => {
    const { container, calls } = renderGuests()
    expect(screen.getByRole('region', { name: 'Your guests' })).toHaveAttribute('aria-busy', 'true')
    expect(screen.getByText('Loading…')).toBeInTheDocument()
    const table = await screen.findByRole('table', { name: 'Your guests' })
    expect(calls.map((call) => call.url)).toEqual(['/api/invitations?scope=mine&limit=20'])
    expect(calls[0]?.authorization).toMatch(/^Bearer /)
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((header) => header.textContent),
    ).toEqual(['Guest', 'Status', 'Access', 'Actions'])
    expect(cells(await row('ada@fabrikam.example'))).toEqual([
      'Accepted',
      'Access ends on May 30, 2026',
      'ExtendRemove',
    ])
    expect(cells(await row('grace@fabrikam.example'))).toEqual(['Invited', 'Ends in 3 days', 'ExtendRemove'])
    expect(cells(await row('linus@fabrikam.example'))).toEqual(['Being set up', 'No end date', 'Remove'])
    expect(cells(await row('katherine@fabrikam.example'))).toEqual([
      'Accepted',
      'Access ends on April 10, 2026Extended onceReview due by March 13, 2026: keep or remove?',
      'KeepRemove',
    ])
    expect(cells(await row('mary@fabrikam.example'))).toEqual([
      'Removing access',
      'Removed on February 28, 2026',
      '',
    ])
    expect(cells(await row('charles@fabrikam.example'))).toEqual([
      'Removed',
      'Removed on February 26, 2026',
      '',
    ])
    expect(cells(await row('alan@fabrikam.example'))).toEqual([
      'Waiting for approval',
      'Asked by Grace Hopper on February 28, 2026Reason: Reviews the Apollo supplier contracts until June.Decide by March 7, 2026',
      '',
    ])
    expect(cells(await row('hedy@fabrikam.example'))).toEqual([
      'Denied',
      'Comment: Use the supplier portal instead.',
      '',
    ])
    // what needs attention soon is marked (the words say it; the mark repeats it)
    expect(within(await row('grace@fabrikam.example')).getByText('Ends in 3 days')).toHaveAttribute(
      'data-warning',
    )
    expect(screen.getByRole('button', { name: 'Extend ada@fabrikam.example' })).toHaveTextContent('Extend')
    expect(screen.getByRole('button', { name: 'Keep katherine@fabrikam.example' })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Extend katherine@fabrikam.example' })).toBeNull()
    expect(await axeViolations(container)).toEqual([])
  })

  it('extends once by the days chosen in its confirm step: POST …/extend { days }, the new end date', async () => {
    const onChanged = vi.fn()
    const { user, calls, container } = renderGuests({}, { onChanged })
    await user.click(await screen.findByRole('button', { name: 'Extend ada@fabrikam.example' }))
    const dialog = screen.getByRole('dialog', { name: 'Extend access for ada@fabrikam.example' })
    expect(dialog).toHaveTextContent(
      'Access can be extended once. The days are added to its end date, May 30, 2026.',
    )
    // Prefilled with the days first granted, named with the guest, and focused.
    const days = within(dialog).getByRole('spinbutton', { name: 'Days to add for ada@fabrikam.example' })
    await waitFor(() => expect(days).toHaveFocus())
    expect(days).toHaveValue(90)
    expect(days).toHaveAccessibleDescription('Access was first given for 90 days.')
    expect(await axeViolations(container)).toEqual([])
    await user.clear(days)
    await user.type(days, '30')
    await user.click(within(dialog).getByRole('button', { name: 'Extend access' }))
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(
        'Access for ada@fabrikam.example now ends on June 29, 2026.',
      ),
    )
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(calls.at(-1)).toMatchObject({
      name: 'extend',
      method: 'POST',
      url: '/api/invitations/inv-g1/extend',
      body: { days: 30 },
    })
    expect(cells(await row('ada@fabrikam.example'))).toEqual([
      'Accepted',
      'Access ends on June 29, 2026Extended once',
      'Remove',
    ])
    // the button in use went away: focus stays in the row, on its guest
    await waitFor(() =>
      expect(screen.getByRole('rowheader', { name: /ada@fabrikam\.example/ })).toHaveFocus(),
    )
    expect(onChanged).toHaveBeenCalledWith(expect.objectContaining({ id: 'inv-g1' }), 'extend')
  })

  it('asks for the days to extend by: Esc returns focus to Extend, a wrong number is refused there, Enter sends', async () => {
    const { user, calls } = renderGuests()
    const extend = await screen.findByRole('button', { name: 'Extend grace@fabrikam.example' })
    await user.click(extend)
    const name = 'Days to add for grace@fabrikam.example'
    await waitFor(() => expect(screen.getByRole('spinbutton', { name })).toHaveFocus())
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()
    await waitFor(() => expect(extend).toHaveFocus())

    await user.click(extend)
    const days = screen.getByRole('spinbutton', { name })
    await user.clear(days)
    await user.type(days, '0{Enter}')
    expect(days).toHaveAttribute('aria-invalid', 'true')
    expect(days).toHaveAccessibleDescription(
      'Access was first given for 90 days. Enter a whole number from 1 to 3,650.',
    )
    expect(days).toHaveFocus()
    await user.clear(days)
    await user.type(days, '7')
    expect(days).not.toHaveAttribute('aria-invalid')
    expect(calls.filter((call) => call.name === 'extend')).toEqual([])
    await user.keyboard('{Enter}')
    await waitFor(() =>
      expect(calls.filter((call) => call.name === 'extend').map((call) => call.body)).toEqual([{ days: 7 }]),
    )
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('shows the catalogued sentence in the row and the live region when an action is refused', async () => {
    const onError = vi.fn()
    const { user } = renderGuests({ outcomes: { extend: 'extension_not_allowed' } }, { onError })
    const extend = await screen.findByRole('button', { name: 'Extend grace@fabrikam.example' })
    await user.click(extend)
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Extend access' }))
    const grace = await row('grace@fabrikam.example')
    await within(grace).findByText('This access cannot be extended again.')
    expect(within(grace).getByText('Reference: req-extension_not_allowed')).toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent(
      'grace@fabrikam.example: This access cannot be extended again.',
    )
    await waitFor(() => expect(extend).toHaveFocus())
    expect(extend).not.toHaveAttribute('aria-disabled')
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'extension_not_allowed', status: 409 })
  })

  it('asks before removing: focus on Cancel, Esc returns it to the button, Remove access sends DELETE', async () => {
    const { user, calls } = renderGuests()
    const remove = await screen.findByRole('button', { name: 'Remove ada@fabrikam.example' })
    await user.click(remove)
    const dialog = screen.getByRole('dialog', { name: 'Remove ada@fabrikam.example?' })
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus())
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()
    await waitFor(() => expect(remove).toHaveFocus())
    expect(calls.filter((call) => call.name === 'remove')).toEqual([])

    await user.click(remove)
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove access' }))
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('Removing access for ada@fabrikam.example.'),
    )
    expect(calls.at(-1)).toMatchObject({ name: 'remove', method: 'DELETE', url: '/api/invitations/inv-g1' })
    expect(cells(await row('ada@fabrikam.example'))).toEqual([
      'Removing access',
      'Removed on March 1, 2026',
      '',
    ])
  })

  it('answers a review: Keep posts decision keep and shows the next review', async () => {
    const { user, calls } = renderGuests()
    await user.click(await screen.findByRole('button', { name: 'Keep katherine@fabrikam.example' }))
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('katherine@fabrikam.example keeps access.'),
    )
    expect(calls.at(-1)).toMatchObject({
      name: 'review',
      url: '/api/invitations/inv-g4/review',
      body: { decision: 'keep' },
    })
    expect(cells(await row('katherine@fabrikam.example'))[1]).toBe(
      'Access ends on April 10, 2026Extended onceNext review on May 30, 2026',
    )
  })

  it('pages with "Load more" and the cursor the BFF gave', async () => {
    const { user, calls } = renderGuests({}, { pageSize: 5 })
    await row('mary@fabrikam.example')
    expect(screen.queryByRole('row', { name: /charles@/ })).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Load more' }))
    await row('hedy@fabrikam.example')
    expect(calls.map((call) => call.url)).toEqual([
      '/api/invitations?scope=mine&limit=5',
      '/api/invitations?scope=mine&limit=5&cursor=5',
    ])
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull()
  })

  it('says why the list could not be read and reads it again on Try again', async () => {
    const { user, calls } = renderGuests({ outcomes: { list: 'upstream_unavailable' } })
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('The guests could not be loaded')
    expect(alert).toHaveTextContent(
      'Microsoft Entra ID is unavailable right now. Try again in a few minutes.',
    )
    server.use(...guestHandlers({ onCall: (call) => calls.push(call) }))
    await user.click(within(alert).getByRole('button', { name: 'Try again' }))
    await row('ada@fabrikam.example')
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('says so when there is nobody yet', async () => {
    renderGuests({ guests: [] })
    expect(await screen.findByText('You have not invited anyone yet.')).toBeInTheDocument()
    expect(screen.queryByRole('table')).toBeNull()
  })
})

describe('<GuestAccess view="approvals">', () => {
  it('lists the requests waiting for the approver and approves one with a comment', async () => {
    const { user, calls, container } = renderGuests({}, { view: 'approvals' })
    await screen.findByRole('table', { name: 'Requests waiting for your approval' })
    expect(calls[0]?.url).toBe('/api/invitations?scope=approvals&limit=20')
    expect(cells(await row('alan@fabrikam.example'))[1]).toBe(
      'Asked by Megan Bowen on February 28, 2026Reason: Cryptography review for the launch.Decide by March 3, 2026',
    )
    expect(await axeViolations(container)).toEqual([])
    await user.type(
      screen.getByRole('textbox', { name: 'Comment on the request for ada@fabrikam.example' }),
      'OK until June',
    )
    await user.click(screen.getByRole('button', { name: 'Approve ada@fabrikam.example' }))
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('Approved: ada@fabrikam.example is invited.'),
    )
    expect(calls.at(-1)).toMatchObject({
      name: 'approve',
      method: 'POST',
      url: '/api/invitations/inv-r1/approve',
      body: { comment: 'OK until June' },
    })
    expect(cells(await row('ada@fabrikam.example'))[0]).toBe('Invited')
    expect(screen.queryByRole('button', { name: 'Approve ada@fabrikam.example' })).toBeNull()
  })

  it('denies without a comment, and keeps the row when the request was already decided', async () => {
    const { user, calls } = renderGuests(
      { outcomes: { approve: 'approval_already_decided' } },
      { view: 'approvals' },
    )
    await user.click(await screen.findByRole('button', { name: 'Deny alan@fabrikam.example' }))
    await waitFor(() => expect(cells(screen.getByRole('row', { name: /alan@/ }))[0]).toBe('Denied'))
    expect(calls.at(-1)).toMatchObject({ name: 'deny', url: '/api/invitations/inv-r2/deny', body: {} })
    await user.click(screen.getByRole('button', { name: 'Approve ada@fabrikam.example' }))
    await within(await row('ada@fabrikam.example')).findByText('This request has already been decided.')
    expect(cells(await row('ada@fabrikam.example'))[0]).toBe('Waiting for approval')
  })
})

describe('useGuestAccess', () => {
  it('reads the list silently, and marks the row in flight until the BFF answers', async () => {
    const calls: RecordedGuestCall[] = []
    server.use(...guestHandlers({ onCall: (call) => calls.push(call), outcomes: { remove: 'pending' } }))
    const msal = createMsalStandIn()
    const { result } = renderHook(() => useGuestAccess({ bffUrl: testBffUrl, scopes, scope: 'all' }), {
      wrapper: msalWrapper(msal),
    })
    await waitFor(() => expect(result.current.status).toBe('ready'))
    expect(result.current.items.map((item) => item.id)).toEqual(testGuests().map((item) => item.id))
    expect(calls[0]?.url).toBe('/api/invitations?scope=all&limit=20')
    act(() => void result.current.remove('inv-g1'))
    await waitFor(() =>
      expect(result.current.rows['inv-g1']).toEqual({ pending: 'remove', last: null, error: null }),
    )
    // a second press while the first is in flight sends nothing
    await act(async () => expect(await result.current.remove('inv-g1')).toBeNull())
    expect(calls.filter((call) => call.name === 'remove')).toHaveLength(1)
  })

  it('asks for nothing interactively at first: without a silent token it waits for Try again', async () => {
    server.use(...guestHandlers())
    const getAccessToken = vi.fn(async ({ interactive }: { interactive: boolean }) =>
      interactive ? 'token' : null,
    )
    const { result } = renderHook(() => useGuestAccess({ bffUrl: testBffUrl, scopes, getAccessToken }), {
      wrapper: msalWrapper(createMsalStandIn()),
    })
    await waitFor(() => expect(result.current.status).toBe('error'))
    expect(result.current.error?.code).toBe('sign_in_required')
    await act(() => result.current.reload())
    expect(result.current.status).toBe('ready')
    expect(getAccessToken.mock.calls.map(([request]) => request.interactive)).toEqual([false, true])
  })
})
