// A string enum, not an object: esbuild inlines its members where the render functions read them, so the component
// bundles carry no lookup table; the object itself ships only from the entries that export it.
/**
 * The fixed class names `renderShareWithExternalUser` puts on its elements, as Fluent UI exports `buttonClassNames`:
 * stable API for host styles and tests. From `@entra-share/react/class-names`.
 *
 * @example
 * document.querySelector(`.${shareWithExternalUserClassNames.submit}`) // '.es-Share__submit'
 */
export enum shareWithExternalUserClassNames {
  root = 'es-Share',
  live = 'es-Share__live',
  form = 'es-Share__form',
  title = 'es-Share__title',
  text = 'es-Share__text',
  alert = 'es-Share__alert',
  alertTitle = 'es-Share__alertTitle',
  field = 'es-Share__field',
  label = 'es-Share__label',
  hint = 'es-Share__hint',
  input = 'es-Share__input',
  fieldError = 'es-Share__fieldError',
  actions = 'es-Share__actions',
  submit = 'es-Share__submit',
  button = 'es-Share__button',
  success = 'es-Share__success',
  pending = 'es-Share__pending',
  steps = 'es-Share__steps',
  details = 'es-Share__details',
  url = 'es-Share__url',
}
