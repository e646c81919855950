// A string enum, not an object: esbuild inlines its members where the render functions read them, so the component
// bundles carry no lookup table; the object itself ships only from the entries that export it.
/**
 * The fixed class names of `<ShareButton>`'s trigger (`root`) and dialog, as Fluent UI exports `buttonClassNames`.
 * From `@entra-share/react/class-names`.
 *
 * @example
 * document.querySelector(`.${shareButtonClassNames.dialog}`) // '.es-ShareDialog'
 */
export enum shareButtonClassNames {
  root = 'es-ShareButton',
  dialog = 'es-ShareDialog',
  dialogHeader = 'es-ShareDialog__header',
  dialogTitle = 'es-ShareDialog__title',
  dialogClose = 'es-ShareDialog__close',
}
