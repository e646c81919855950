// A string enum, not an object: esbuild inlines its members where the render functions read them, so the component
// bundles carry no lookup table; the object itself ships only from the entries that export it.
/**
 * The fixed class names `renderBulkInvite` puts on its elements, as Fluent UI exports `buttonClassNames`: stable API
 * for host styles and tests. From `@entra-share/react/class-names`.
 *
 * @example
 * document.querySelector(`.${bulkInviteClassNames.preview}`) // '.es-Bulk__preview'
 */
export enum bulkInviteClassNames {
  root = 'es-Bulk',
  title = 'es-Bulk__title',
  text = 'es-Bulk__text',
  drop = 'es-Bulk__drop',
  label = 'es-Bulk__label',
  input = 'es-Bulk__input',
  hint = 'es-Bulk__hint',
  alert = 'es-Bulk__alert',
  alertTitle = 'es-Bulk__alertTitle',
  preview = 'es-Bulk__preview',
  problem = 'es-Bulk__problem',
  tableWrap = 'es-Bulk__tableWrap',
  table = 'es-Bulk__table',
  actions = 'es-Bulk__actions',
  primary = 'es-Bulk__primary',
  button = 'es-Bulk__button',
  progress = 'es-Bulk__progress',
  bar = 'es-Bulk__bar',
  notice = 'es-Bulk__notice',
  finished = 'es-Bulk__finished',
  live = 'es-Bulk__live',
}
