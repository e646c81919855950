import type { StoryContext } from '@storybook/react-vite'

/** A story's colour theme and text direction, as the toolbar's globals say. */
export interface StoryMode {
  theme: 'light' | 'dark'
  direction: 'ltr' | 'rtl'
}

/** What a test may override of the story's own mode while it looks at the rendered story. */
export type StoryModeOverride = Partial<StoryMode> | null

/** Runs after a story's play function, before the a11y check: the visual test installs one (see test/visual). */
export type AfterPlayHook = (context: StoryContext) => Promise<void>

// On globalThis, not in module state: the preview and a Vitest setup file import this module by different paths.
const key: unique symbol = Symbol.for('entra-share.storybook.modes')
interface Shared {
  override: StoryModeOverride
  listeners: Set<() => void>
  afterPlay: AfterPlayHook | null
}
const registry = globalThis as { [key]?: Shared }
registry[key] ??= { override: null, listeners: new Set(), afterPlay: null }
const shared: Shared = registry[key]

/**
 * The mode override the story frame renders with: `null` in Storybook itself (the toolbar decides), set by the
 * visual test to picture a story in light, dark and right-to-left without running it again.
 */
export const storyModeOverride = {
  get: (): StoryModeOverride => shared.override,
  set(override: StoryModeOverride): void {
    shared.override = override
    for (const listener of shared.listeners) listener()
  },
  subscribe(listener: () => void): () => void {
    shared.listeners.add(listener)
    return () => shared.listeners.delete(listener)
  },
}

/** Installs the hook run after each story's play function (`null` removes it). */
export function setAfterPlay(hook: AfterPlayHook | null): void {
  shared.afterPlay = hook
}

/** Runs the installed hook, if any (Storybook's own UI has none). */
export async function runAfterPlay(context: StoryContext): Promise<void> {
  await shared.afterPlay?.(context)
}
