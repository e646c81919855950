// A string enum, not an object: esbuild inlines its members where the render function reads them, so the component
// bundle carries no lookup table; the object itself ships only from the entries that export it.
/**
 * The fixed class names `renderGuestAccess` puts on its elements, as Fluent UI exports `buttonClassNames`: stable API
 * for host styles and tests. From `@entra-share/react/class-names`.
 *
 * @example
 * document.querySelector(`.${guestAccessClassNames.table}`) // '.es-Guests__table'
 */
export enum guestAccessClassNames {
  root = 'es-Guests',
  title = 'es-Guests__title',
  text = 'es-Guests__text',
  alert = 'es-Guests__alert',
  alertTitle = 'es-Guests__alertTitle',
  hint = 'es-Guests__hint',
  tableWrap = 'es-Guests__tableWrap',
  table = 'es-Guests__table',
  guest = 'es-Guests__guest',
  email = 'es-Guests__email',
  status = 'es-Guests__status',
  details = 'es-Guests__details',
  actions = 'es-Guests__actions',
  comment = 'es-Guests__comment',
  field = 'es-Guests__field',
  label = 'es-Guests__label',
  input = 'es-Guests__input',
  fieldError = 'es-Guests__fieldError',
  button = 'es-Guests__button',
  primary = 'es-Guests__primary',
  danger = 'es-Guests__danger',
  rowError = 'es-Guests__rowError',
  more = 'es-Guests__more',
  dialog = 'es-Guests__dialog',
  live = 'es-Guests__live',
}
