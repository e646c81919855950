import {
  Button,
  Dialog,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
} from '@fluentui/react-components'
import { Dismiss24Regular } from '@fluentui/react-icons'
import type { ReactElement } from 'react'
import { FluentShareWithExternalUser } from '../FluentShareWithExternalUser/FluentShareWithExternalUser.js'
import type { FluentShareButtonState } from './FluentShareButton.types.js'

/**
 * The markup of `<FluentShareButton>`: a Fluent `Button` that triggers a modal `Dialog` titled `dialogTitle`, with an
 * icon Close button named `close`, and `<FluentShareWithExternalUser>` labelled by the title.
 *
 * @example
 * const state = useFluentShareButton(props)
 * useFluentShareButtonStyles(state)
 * return renderFluentShareButton(state)
 */
export function renderFluentShareButton(state: FluentShareButtonState): ReactElement {
  const { strings, classes } = state
  return (
    <Dialog open={state.open} onOpenChange={state.onOpenChange}>
      <DialogTrigger disableButtonEnhancement>
        <Button
          ref={state.buttonRef}
          className={classes.button}
          appearance={state.appearance}
          lang={state.lang}
          dir={state.dir}
          aria-haspopup="dialog"
        >
          {state.children}
        </Button>
      </DialogTrigger>
      <DialogSurface
        ref={state.surfaceRef}
        className={classes.surface}
        aria-labelledby={state.titleId}
        lang={state.lang}
        dir={state.dir}
      >
        <DialogBody>
          <DialogTitle
            id={state.titleId}
            action={
              <DialogTrigger action="close" disableButtonEnhancement>
                <Button appearance="subtle" aria-label={strings.close} icon={<Dismiss24Regular />} />
              </DialogTrigger>
            }
          >
            {strings.dialogTitle}
          </DialogTitle>
          <DialogContent className={classes.content}>
            <FluentShareWithExternalUser {...state.formProps} />
          </DialogContent>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  )
}
