import type { Invitation } from '@entra-share/react'

/** The follow-up steps of a partial invitation: two groups and the name done, a licence and an app role to do. */
export const partialSteps: Invitation['steps'] = [
  { name: 'invite', status: 'succeeded', attempts: 1 },
  { name: 'addToGroup', target: 'group-1', status: 'succeeded', attempts: 1 },
  { name: 'addToGroup', target: 'group-2', status: 'succeeded', attempts: 1 },
  { name: 'updateAttributes', status: 'succeeded', attempts: 1 },
  { name: 'assignLicense', target: 'sku-e3', status: 'pending', attempts: 2, code: 'license_unavailable' },
  { name: 'assignAppRole', target: 'role-reader', status: 'pending', attempts: 0 },
]
