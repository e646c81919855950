import { ShareError } from '@entra-share/client'
import { describe, expect, it } from 'vitest'
import type { ShareFormValues } from './ShareWithExternalUser.types.js'
import {
  initialShareForm,
  reasonRuleOf,
  serverFieldErrors,
  shareFormReducer,
  validate,
} from './share-form.js'
import { defaultShareStrings as strings } from './strings.js'

const filled = {
  email: 'ada@fabrikam.example',
  displayName: 'Ada',
  presetId: '',
  accessDays: '',
  reason: '',
  message: '',
}

describe('the share form reducer', () => {
  it('takes the BFF default preset only when none was given', () => {
    const loaded = { type: 'configLoaded', defaultPresetId: 'apollo' } as const
    expect(shareFormReducer(initialShareForm(undefined), loaded).values.presetId).toBe('apollo')
    expect(shareFormReducer(initialShareForm({ presetId: 'gemini' }), loaded).values.presetId).toBe('gemini')
    const none = initialShareForm(undefined)
    expect(shareFormReducer(none, { type: 'configLoaded', defaultPresetId: null })).toBe(none)
  })

  it('flags the fields on submit, clears the server errors, and shows the summary only when a field is invalid', () => {
    const failed = shareFormReducer(initialShareForm(filled), {
      type: 'failed',
      serverErrors: { email: 'taken' },
    })
    const invalid = shareFormReducer(failed, { type: 'submitted', errors: { email: strings.emailRequired } })
    expect(invalid).toMatchObject({ serverErrors: {}, showSummary: true })
    expect(invalid.clientErrors.email).toBe(strings.emailRequired)
    expect(shareFormReducer(failed, { type: 'submitted', errors: {} }).showSummary).toBe(false)
  })

  it('on an edit: clears the field server error, and re-checks it only when it was flagged', () => {
    const check = (values: ShareFormValues) => validate(values, strings, 2000)
    const typeEmail = (state: ReturnType<typeof initialShareForm>, value: string) =>
      shareFormReducer(state, { type: 'changed', name: 'email', value, validate: check })
    let state = shareFormReducer(initialShareForm(filled), {
      type: 'failed',
      serverErrors: { email: 'taken' },
    })
    state = typeEmail(state, 'ada@')
    expect(state.values.email).toBe('ada@')
    expect(state.serverErrors.email).toBeUndefined()
    expect(state.clientErrors).toEqual({})
    state = shareFormReducer(state, { type: 'submitted', errors: check(state.values) })
    expect(state.clientErrors.email).toBe(strings.emailInvalid)
    expect(typeEmail(state, 'ada@fabrikam').clientErrors.email).toBe(strings.emailInvalid)
    expect(typeEmail(state, 'ada@fabrikam.example').clientErrors.email).toBeUndefined()
  })

  it('keeps the preset for the next guest and forgets the rest', () => {
    const copied = shareFormReducer(
      initialShareForm({ ...filled, presetId: 'apollo', accessDays: '30', message: 'Hi' }),
      {
        type: 'copied',
        copied: true,
      },
    )
    expect(copied.copyState).toBe('copied')
    const next = shareFormReducer(copied, { type: 'shareAnother' })
    expect(next).toMatchObject({
      copyState: 'idle',
      values: { email: '', displayName: '', presetId: 'apollo', accessDays: '', reason: '', message: '' },
    })
  })
})

describe('validate', () => {
  it('applies the message limit it is given', () => {
    expect(validate({ ...filled, message: 'x'.repeat(11) }, strings, 10)).toEqual({
      message: 'Use at most 10 characters.',
    })
    expect(validate(filled, strings, 10)).toEqual({})
  })

  it('asks for a reason only when the chosen preset requires one, and limits it when one is asked for', () => {
    expect(validate(filled, strings, 10, 'en', 'required')).toEqual({ reason: strings.reasonRequired })
    expect(validate({ ...filled, reason: '  ' }, strings, 10, 'en', 'required')).toEqual({
      reason: strings.reasonRequired,
    })
    expect(validate(filled, strings, 10, 'en', 'optional')).toEqual({})
    expect(validate({ ...filled, reason: 'x'.repeat(1001) }, strings, 10, 'en', 'optional')).toEqual({
      reason: 'Use at most 1,000 characters.',
    })
    expect(validate({ ...filled, reason: 'x'.repeat(1001) }, strings, 10, 'en', 'none')).toEqual({})
    expect(reasonRuleOf({ id: 'a', label: 'A', groupCount: 1 })).toBe('none')
    expect(reasonRuleOf({ id: 'a', label: 'A', groupCount: 1, approvalRequired: true })).toBe('optional')
    expect(
      reasonRuleOf({ id: 'a', label: 'A', groupCount: 1, approvalRequired: true, reasonRequired: true }),
    ).toBe('required')
  })

  it("checks the days of access against the chosen preset's: a whole number from 1 to its days, or empty", () => {
    const days = (accessDays: string, max?: number) =>
      validate({ ...filled, accessDays }, strings, 10, 'en', 'none', max)
    expect(days('', 90)).toEqual({})
    expect(days('1', 90)).toEqual({})
    expect(days(' 90 ', 90)).toEqual({})
    const refused = { accessDays: 'Enter a whole number from 1 to 90, or leave it empty.' }
    for (const wrong of ['0', '91', '1.5', '-3', '1e2', 'ten', '?']) expect(days(wrong, 90)).toEqual(refused)
    expect(days('2', 1)).toEqual({ accessDays: 'Enter 1, or leave it empty.' })
    expect(days('2', 1000)).toEqual({})
    expect(validate({ ...filled, accessDays: '5000' }, strings, 10, 'de', 'none', 1000)).toEqual({
      accessDays: 'Enter a whole number from 1 to 1.000, or leave it empty.',
    })
    // No access term on the preset: no field, nothing to check.
    expect(days('ten')).toEqual({})
  })
})

describe('serverFieldErrors', () => {
  it('puts the server field errors and a field-bound problem on their fields, and ignores unknown fields', () => {
    const invalid = new ShareError('invalid_request', 'Invalid.', {
      fieldErrors: [
        { field: 'email', message: 'email must be a valid address.' },
        { field: 'somethingElse', message: 'ignored' },
      ],
    })
    expect(serverFieldErrors(invalid, strings)).toEqual({ email: 'email must be a valid address.' })
    const refused = new ShareError('domain_not_allowed', 'Refused.')
    expect(serverFieldErrors(refused, strings)).toEqual({ email: strings.errors.domain_not_allowed })
    // The BFF wants a reason the form did not ask for (a preset changed since the form loaded): shown on the field.
    const noReason = new ShareError('reason_required', 'A reason is required.')
    expect(serverFieldErrors(noReason, strings)).toEqual({ reason: strings.errors.reason_required })
    const tooLong = new ShareError('access_days_not_allowed', 'Too many days.')
    expect(serverFieldErrors(tooLong, strings)).toEqual({
      accessDays: strings.errors.access_days_not_allowed,
    })
  })
})
