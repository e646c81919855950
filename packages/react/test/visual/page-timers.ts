/**
 * Holds the page's timers while a story is pictured: a countdown ticking or a bulk job polling between two
 * screenshots would make them differ. Installed once, it passes every `setTimeout` / `setInterval` through; between
 * `hold()` and `release()` their callbacks wait (an interval's missed ticks are dropped), then run in order. Vitest
 * keeps its own timers (taken before any setup file ran), so the screenshot assertions are not held.
 */
export interface PageTimers {
  hold(): void
  release(): void
}

type Callback = () => void

export function installPageTimers(target: Pick<Window, 'setTimeout' | 'setInterval'> = window): PageTimers {
  const realSetTimeout = target.setTimeout.bind(target)
  const realSetInterval = target.setInterval.bind(target)
  let holding = false
  let held: Callback[] = []

  const run = (handler: TimerHandler, args: unknown[]): void => {
    if (typeof handler === 'function') handler(...args)
  }

  target.setTimeout = ((handler: TimerHandler, timeout?: number, ...args: unknown[]) =>
    realSetTimeout(() => {
      if (holding) held.push(() => run(handler, args))
      else run(handler, args)
    }, timeout)) as Window['setTimeout']

  target.setInterval = ((handler: TimerHandler, timeout?: number, ...args: unknown[]) =>
    realSetInterval(() => {
      if (!holding) run(handler, args)
    }, timeout)) as Window['setInterval']

  return {
    hold() {
      holding = true
    },
    release() {
      holding = false
      const due = held
      held = []
      for (const callback of due) realSetTimeout(callback, 0)
    },
  }
}
