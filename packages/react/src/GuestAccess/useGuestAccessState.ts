import type { ShareError, ShareErrorCode } from '@entra-share/client'
import { constraints, type Invitation } from '@entra-share/contracts'
import { type SyntheticEvent, useEffect, useId, useMemo, useRef, useState } from 'react'
import { readAccessDays } from '../access-days.js'
import { formatDate, formatNumber, formatPlural, formatString } from '../format.js'
import { useLocale } from '../locales/EntraShareLocaleProvider.js'
import type {
  GuestAccessProps,
  GuestAccessState,
  GuestButton,
  GuestRow,
  GuestStatus,
} from './GuestAccess.types.js'
import { type GuestAccessStrings, mergeGuestAccessStrings } from './strings.js'
import { type GuestActionName, type GuestRowActivity, useGuestAccess } from './useGuestAccess.js'

const DAY_MS = 86_400_000

type Strings = GuestAccessStrings & { errors: Record<ShareErrorCode, string> }

/** The action waiting for its confirm step: a plain removal, a review's "remove", or an extension. */
interface Confirming {
  id: string
  email: string
  action: 'remove' | 'reviewRemove' | 'extend'
  triggerId: string
  /** The extension's days as typed, prefilled with the days the access was first given. */
  days: string
  /** Why the typed days were refused, once Extend access was pressed. */
  daysError?: string
}

/**
 * The state of `<GuestAccess>`: {@link useGuestAccess}'s list and actions as rows with their status, access term,
 * review and request in words, each row's buttons named with its guest, the confirm step before a removal or an
 * extension (a modal dialog that takes focus and gives it back; an extension's asks for the days to add), and a
 * polite live region for every answer. Pair it with
 * `renderGuestAccess` for your own styling.
 *
 * @example
 * function MyGuests(props: GuestAccessProps) {
 *   return renderGuestAccess(useGuestAccessState(props))
 * }
 */
export function useGuestAccessState(props: GuestAccessProps): GuestAccessState {
  const view = props.view ?? 'guests'
  const data = useGuestAccess({
    ...props,
    scope: view === 'approvals' ? 'approvals' : (props.scope ?? 'mine'),
  })
  const { pack, formatLocale: locale, lang, dir } = useLocale(props.locale)
  const strings = useMemo(
    () => mergeGuestAccessStrings(props.strings, pack?.guests, pack?.share.errors),
    [props.strings, pack],
  )
  const idPrefix = useId()
  const [comments, setComments] = useState<Record<string, string>>({})
  const [confirming, setConfirming] = useState<Confirming | null>(null)
  const dialogRef = useRef<HTMLDialogElement>(null)
  const wasConfirming = useRef<Confirming | null>(null)
  const now = props.now === undefined ? Date.now() : new Date(props.now).getTime()
  const warnDays = props.expiringWithinDays ?? 7
  const rowId = (id: string, part: string) => `${idPrefix}-${id}-${part}`

  // The confirm step: modal while open, focus on Cancel (the safe answer) or, to extend, on the days to add; closed,
  // focus back on its button. Typing the days changes `confirming` too: focus moves only when the step opens.
  useEffect(() => {
    const dialog = dialogRef.current
    if (confirming && dialog) {
      // Engines without showModal (jsdom) get an open, non-modal dialog; Esc still cancels through keydown.
      if (!dialog.open)
        typeof dialog.showModal === 'function' ? dialog.showModal() : dialog.setAttribute('open', '')
      if (!wasConfirming.current) {
        // The days are selected: typing replaces them.
        const days = dialog.querySelector<HTMLInputElement>('input')
        ;(days ?? dialog.querySelector<HTMLElement>('[data-action="cancel"]'))?.focus()
        days?.select()
      }
    } else if (!confirming && wasConfirming.current) {
      document.getElementById(wasConfirming.current.triggerId)?.focus()
    }
    wasConfirming.current = confirming
  }, [confirming])

  // An answer that took away the button in use (Extend once extended, Approve once approved): focus stays in the
  // row, on its guest, rather than falling to the page.
  const outcome = data.outcome
  useEffect(() => {
    if (!outcome) return
    const active = document.activeElement
    if (!active || active === document.body)
      document.getElementById(`${idPrefix}-${outcome.id}-guest`)?.focus()
  }, [outcome, idPrefix])

  const button = (
    invitation: Invitation,
    activity: GuestRowActivity | undefined,
    action: GuestActionName,
    onPress: () => void,
    tone?: GuestButton['tone'],
  ): GuestButton => {
    const [label, name, busyLabel] = actionTexts(strings, action)
    const busy = activity?.pending === action
    const id = rowId(invitation.id, action)
    return {
      action,
      id,
      label: busy ? busyLabel : label,
      // While busy the button is named by what it shows ("Extending…"): a name must contain the visible text.
      ...(busy ? {} : { name: formatString(name, { guest: invitation.invitedUserEmailAddress }) }),
      disabled: Boolean(activity?.pending),
      busy,
      ...(tone ? { tone } : {}),
      onClick: () => {
        if (!activity?.pending) onPress()
      },
    }
  }

  const askToConfirm = (invitation: Invitation, action: Confirming['action']) =>
    setConfirming({
      id: invitation.id,
      email: invitation.invitedUserEmailAddress,
      action,
      triggerId: rowId(invitation.id, action),
      days: invitation.access ? String(invitation.access.days) : '',
    })

  const rows: GuestRow[] = data.items.map((invitation) => {
    const activity = data.rows[invitation.id]
    const status = guestStatus(invitation)
    const active = status === 'invited' || status === 'accepted' || status === 'partial'
    const reviewWaiting = active && invitation.review?.decision === null
    const waiting = view === 'approvals' && status === 'pending_approval'
    const comment = comments[invitation.id] ?? ''
    const actions: GuestButton[] = waiting
      ? [
          button(
            invitation,
            activity,
            'approve',
            () => void data.approve(invitation.id, comment.trim()),
            'primary',
          ),
          button(invitation, activity, 'deny', () => void data.deny(invitation.id, comment.trim()), 'danger'),
        ]
      : view === 'approvals' || !active
        ? []
        : reviewWaiting
          ? [
              button(invitation, activity, 'keep', () => void data.review(invitation.id, 'keep'), 'primary'),
              button(
                invitation,
                activity,
                'reviewRemove',
                () => askToConfirm(invitation, 'reviewRemove'),
                'danger',
              ),
            ]
          : [
              ...(invitation.access && !invitation.access.extendedAt
                ? [button(invitation, activity, 'extend', () => askToConfirm(invitation, 'extend'))]
                : []),
              button(invitation, activity, 'remove', () => askToConfirm(invitation, 'remove'), 'danger'),
            ]
    return {
      invitation,
      id: invitation.id,
      headerId: rowId(invitation.id, 'guest'),
      email: invitation.invitedUserEmailAddress,
      name: invitation.invitedUserDisplayName,
      status,
      statusText: statusText(strings, status),
      details: detailLines(strings, invitation, status, locale, now, warnDays),
      busy: Boolean(activity?.pending),
      error: activity?.error ? errorView(strings, activity.error) : null,
      comment: waiting
        ? {
            id: rowId(invitation.id, 'comment'),
            value: comment,
            maxLength: constraints.reasonMaxLength,
            'aria-label': formatString(strings.commentName, { guest: invitation.invitedUserEmailAddress }),
            onChange: (event) => setComments((all) => ({ ...all, [invitation.id]: event.target.value })),
          }
        : null,
      commentLabel: waiting ? strings.commentLabel : null,
      actions,
    }
  })

  const cancelConfirm = () => setConfirming(null)
  const daysId = `${idPrefix}-days`
  // Extend access: the days typed, a whole number the BFF may take (its preset may allow fewer: it says so then).
  const confirmExtend = (extending: Confirming) => {
    const days = readAccessDays(extending.days, constraints.accessDaysMax)
    if (days) {
      setConfirming(null)
      void data.extend(extending.id, days)
      return
    }
    setConfirming({
      ...extending,
      daysError: formatString(strings.extendDaysInvalid, {
        days: formatNumber(constraints.accessDaysMax, locale),
      }),
    })
    document.getElementById(daysId)?.focus()
  }
  // What both confirm steps share: the dialog, its title's id, and Cancel (Esc, or the browser's close request).
  const confirmStep = {
    titleId: `${idPrefix}-confirm`,
    dialogRef,
    cancel: { action: 'cancel', label: strings.cancel, onClick: cancelConfirm } satisfies GuestButton,
    onCancel: (event: SyntheticEvent<HTMLDialogElement>) => {
      event.preventDefault()
      cancelConfirm()
    },
  }
  const extending = confirming?.action === 'extend' ? confirming : null
  const extendingAccess = extending && data.items.find((item) => item.id === extending.id)?.access
  const title =
    view === 'approvals'
      ? strings.titleApprovals
      : props.scope === 'all'
        ? strings.titleAll
        : props.scope === 'reviews'
          ? strings.titleReviews
          : strings.titleMine

  return {
    view,
    status: data.status,
    strings,
    className: props.className,
    lang,
    dir,
    headingLevel: props.headingLevel ?? 2,
    rootRef: props.ref,
    ids: { title: `${idPrefix}-title` },
    title,
    columns: {
      guest: strings.columnGuest,
      status: strings.columnStatus,
      details: view === 'approvals' ? strings.columnRequest : strings.columnAccess,
      actions: strings.columnActions,
    },
    emptyText:
      data.status === 'ready' && rows.length === 0
        ? view === 'approvals'
          ? strings.emptyApprovals
          : props.scope === 'all'
            ? strings.emptyAll
            : props.scope === 'reviews'
              ? strings.emptyReviews
              : strings.emptyMine
        : null,
    rows,
    alert: data.error
      ? {
          title: strings.errorTitle,
          ...errorView(strings, data.error),
          retry: {
            action: 'retry',
            label: strings.retry,
            onClick: () => void (data.status === 'error' ? data.reload() : data.loadMore()),
          },
        }
      : null,
    loadMore:
      data.hasMore && data.status === 'ready'
        ? {
            action: 'loadMore',
            label: data.loadingMore ? strings.loadingMore : strings.loadMore,
            busy: data.loadingMore,
            disabled: data.loadingMore,
            onClick: () => {
              if (!data.loadingMore) void data.loadMore()
            },
          }
        : null,
    confirm: extending
      ? {
          ...confirmStep,
          title: formatString(strings.confirmExtendTitle, { guest: extending.email }),
          text: formatString(strings.confirmExtendText, {
            date: extendingAccess ? formatDate(extendingAccess.expiresAt, locale) : '',
          }),
          confirm: {
            action: 'confirmExtend',
            label: strings.confirmExtend,
            tone: 'primary',
            onClick: () => confirmExtend(extending),
          },
          days: extendDays(strings, extending, extendingAccess?.days, daysId, locale, {
            // A refused number is checked again as it is edited, so its message goes once it is fixed.
            onChange: ({ target: { value } }) =>
              setConfirming({
                ...extending,
                days: value,
                daysError: readAccessDays(value, constraints.accessDaysMax) ? undefined : extending.daysError,
              }),
            // Enter confirms, as in a form.
            onKeyDown: (event) => {
              if (event.key !== 'Enter') return
              event.preventDefault()
              confirmExtend(extending)
            },
          }),
        }
      : confirming
        ? {
            ...confirmStep,
            title: formatString(strings.confirmRemoveTitle, { guest: confirming.email }),
            text: strings.confirmRemoveText,
            confirm: {
              action: 'confirmRemove',
              label: strings.confirmRemove,
              tone: 'danger',
              onClick: () => {
                setConfirming(null)
                void (confirming.action === 'remove'
                  ? data.remove(confirming.id)
                  : data.review(confirming.id, 'remove'))
              },
            },
            days: null,
          }
        : null,
    announcement: announce(strings, data.items, outcome, locale),
  }
}

type DaysField = NonNullable<NonNullable<GuestAccessState['confirm']>['days']>

/** The days to add of Extend's confirm step, named with its guest, described by its hint and its error when shown. */
function extendDays(
  strings: Strings,
  extending: Confirming,
  grantedDays: number | undefined,
  id: string,
  locale: string,
  handlers: Pick<DaysField['inputProps'], 'onChange' | 'onKeyDown'>,
): DaysField {
  const hint = grantedDays
    ? formatPlural(strings.extendDaysHint, grantedDays, locale, { days: formatNumber(grantedDays, locale) })
    : ''
  return {
    label: strings.extendDaysLabel,
    inputProps: {
      id,
      type: 'number',
      min: 1,
      max: constraints.accessDaysMax,
      value: extending.days,
      // The visible label starts the name, so speech input ("click Days to add") still finds it.
      'aria-label': formatString(strings.extendDaysName, { guest: extending.email }),
      'aria-invalid': extending.daysError ? true : undefined,
      'aria-describedby':
        `${hint ? `${id}-hint` : ''} ${extending.daysError ? `${id}-error` : ''}`.trim() || undefined,
      ...handlers,
    },
    hint,
    hintProps: { id: `${id}-hint` },
    errorMessage: extending.daysError,
    errorMessageProps: { id: `${id}-error` },
  }
}

/** The status a person reads: Graph's acceptance for an active guest, the approval's outcome for a refused one. */
export function guestStatus(invitation: Invitation): GuestStatus {
  switch (invitation.status) {
    case 'pending_approval':
    case 'removing':
    case 'removed':
    case 'partial':
      return invitation.status
    case 'denied':
      return invitation.approval?.decision === 'expired' ? 'request_expired' : 'denied'
    case 'completed':
      return invitation.externalUserState === 'Accepted' ? 'accepted' : 'invited'
  }
}

function statusText(strings: Strings, status: GuestStatus): string {
  return {
    invited: strings.statusInvited,
    accepted: strings.statusAccepted,
    partial: strings.statusPartial,
    pending_approval: strings.statusPendingApproval,
    denied: strings.statusDenied,
    request_expired: strings.statusRequestExpired,
    removing: strings.statusRemoving,
    removed: strings.statusRemoved,
  }[status]
}

/** A button's text, accessible name and busy text. */
function actionTexts(strings: Strings, action: GuestActionName): [string, string, string] {
  switch (action) {
    case 'extend':
      return [strings.extend, strings.extendName, strings.extending]
    case 'remove':
    case 'reviewRemove':
      return [strings.remove, strings.removeName, strings.removing]
    case 'keep':
      return [strings.keep, strings.keepName, strings.keeping]
    case 'approve':
      return [strings.approve, strings.approveName, strings.approving]
    case 'deny':
      return [strings.deny, strings.denyName, strings.denying]
  }
}

/** The access term, review and request of a row in words, dates for the reader's locale. */
function detailLines(
  strings: Strings,
  invitation: Invitation,
  status: GuestStatus,
  locale: string,
  now: number,
  warnDays: number,
): GuestRow['details'] {
  const { access, review, approval, removal } = invitation
  const date = (value: string) => formatDate(value, locale)
  const lines: GuestRow['details'] = []
  if (status === 'pending_approval' && approval) {
    lines.push({
      key: 'requested',
      text: formatString(strings.requestedBy, {
        name: invitation.invitedBy.name ?? strings.someone,
        date: date(approval.requestedAt),
      }),
    })
    if (approval.reason)
      lines.push({ key: 'reason', text: formatString(strings.requestReason, { reason: approval.reason }) })
    lines.push({ key: 'deadline', text: formatString(strings.decideBy, { date: date(approval.expiresAt) }) })
  } else if (status === 'denied' || status === 'request_expired') {
    if (approval?.comment)
      lines.push({
        key: 'comment',
        text: formatString(strings.decisionComment, { comment: approval.comment }),
      })
  } else if (status === 'removing' || status === 'removed') {
    if (removal)
      lines.push({
        key: 'removed',
        text: formatString(strings.removedOn, { date: date(removal.completedAt ?? removal.requestedAt) }),
      })
  } else {
    if (access) {
      const days = Math.ceil((Date.parse(access.expiresAt) - now) / DAY_MS)
      lines.push(
        days <= 0
          ? { key: 'access', text: strings.endsToday, warning: true }
          : days <= warnDays
            ? {
                key: 'access',
                text: formatPlural(strings.endsInDays, days, locale, { days: formatNumber(days, locale) }),
                warning: true,
              }
            : { key: 'access', text: formatString(strings.accessEnds, { date: date(access.expiresAt) }) },
      )
      if (access.extendedAt) lines.push({ key: 'extended', text: strings.accessExtended })
    } else lines.push({ key: 'access', text: strings.accessNoEnd })
    if (review?.decision === null)
      lines.push({
        key: 'review',
        text: formatString(strings.reviewDue, { date: date(review.deadlineAt) }),
        warning: true,
      })
    else if (review?.nextReviewAt)
      lines.push({
        key: 'review',
        text: formatString(strings.reviewNext, { date: date(review.nextReviewAt) }),
      })
  }
  return lines
}

/** A failure as the catalogue's sentence, with the request id for support. */
function errorView(strings: Strings, error: ShareError): NonNullable<GuestRow['error']> {
  return {
    code: error.code,
    message: strings.errors[error.code] ?? strings.errors.invalid_response,
    ...(error.requestId
      ? { requestId: formatString(strings.requestId, { requestId: error.requestId }) }
      : {}),
  }
}

/** What the live region says about the last answer. */
function announce(
  strings: Strings,
  items: Invitation[],
  outcome: ReturnType<typeof useGuestAccess>['outcome'],
  locale: string,
): string {
  const invitation = outcome && items.find((item) => item.id === outcome.id)
  if (!outcome || !invitation) return ''
  const guest = invitation.invitedUserEmailAddress
  if (outcome.error)
    return formatString(strings.announceFailed, { guest, message: errorView(strings, outcome.error).message })
  switch (outcome.action) {
    case 'extend':
      return formatString(strings.announceExtended, {
        guest,
        date: invitation.access ? formatDate(invitation.access.expiresAt, locale) : '',
      })
    case 'remove':
    case 'reviewRemove':
      return formatString(strings.announceRemoving, { guest })
    case 'keep':
      return formatString(strings.announceKept, { guest })
    case 'approve':
      return formatString(strings.announceApproved, { guest })
    case 'deny':
      return formatString(strings.announceDenied, { guest })
  }
}
