import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderWithMsal } from '../test/render.js'
import { server } from '../test/setup.js'
import { BulkInvite } from './BulkInvite/BulkInvite.js'
import {
  bulkInviteClassNames,
  shareButtonClassNames,
  shareWithExternalUserClassNames,
} from './class-names.js'
import { ShareButton } from './ShareButton/ShareButton.js'
import { ShareWithExternalUser } from './ShareWithExternalUser/ShareWithExternalUser.js'
import { bffHandlers, testBffUrl } from './testing/index.js'

const scopes = ['api://bff/Invitations.Send']
const css = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

describe('class-name constants', () => {
  it('name the elements the render functions draw', () => {
    server.use(...bffHandlers())
    const { container } = renderWithMsal(
      <>
        <ShareWithExternalUser bffUrl={testBffUrl} scopes={scopes} />
        <ShareButton bffUrl={testBffUrl} scopes={scopes} />
        <BulkInvite bffUrl={testBffUrl} scopes={scopes} />
      </>,
    )
    const { root, form, submit, input } = shareWithExternalUserClassNames
    expect(container.querySelector(`.${root} .${form} .${submit}`)).not.toBeNull()
    expect(container.querySelectorAll(`.${input}`)).toHaveLength(2)
    expect(container.querySelector(`button.${shareButtonClassNames.root}`)).not.toBeNull()
    expect(
      container.querySelector(`section.${bulkInviteClassNames.root} .${bulkInviteClassNames.drop}`),
    ).not.toBeNull()
  })

  it('are the fixed es-… names the stylesheets style', () => {
    expect(shareWithExternalUserClassNames.alertTitle).toBe('es-Share__alertTitle')
    expect(shareButtonClassNames.dialogClose).toBe('es-ShareDialog__close')
    expect(bulkInviteClassNames.tableWrap).toBe('es-Bulk__tableWrap')
    const share = css('./ShareWithExternalUser/ShareWithExternalUser.css')
    const bulk = css('./BulkInvite/BulkInvite.css')
    for (const name of Object.values(shareWithExternalUserClassNames)) expect(share).toContain(`.${name}`)
    for (const name of Object.values(shareButtonClassNames)) expect(share).toContain(`.${name}`)
    for (const name of Object.values(bulkInviteClassNames)) expect(bulk).toContain(`.${name}`)
  })

  it('both stylesheets take their custom properties from tokens.css', () => {
    for (const path of ['./ShareWithExternalUser/ShareWithExternalUser.css', './BulkInvite/BulkInvite.css'])
      expect(css(path)).toMatch(/^@import "\.\.\/tokens\.css";$/m)
    expect(css('./tokens.css')).toContain('--es-color-warning-surface')
  })
})
