import pixelmatch from 'pixelmatch'
import type { ScreenshotComparatorRegistry } from 'vitest/browser'

type PixelmatchOptions = ScreenshotComparatorRegistry['pixelmatch']

declare module 'vitest/browser' {
  interface ScreenshotComparatorRegistry {
    /** Vitest's `pixelmatch` comparator, but a picture whose size changed still gets a diff image. */
    anySizePixelmatch: PixelmatchOptions
  }
}

interface Image {
  metadata: { width: number; height: number }
  data: Uint8Array | Uint8ClampedArray
}

/**
 * Compares two screenshots with pixelmatch, as Vitest's own comparator does, also when their sizes differ (a missing
 * stylesheet changes a story's height): the actual picture is laid over the reference's canvas, its pixels outside
 * that canvas and the canvas's pixels it does not cover count as different, and the diff image (reference-sized, as
 * Vitest saves it) shows them in the diff colour.
 *
 * @example
 * // vitest.config.ts, browser.expect.toMatchScreenshot:
 * { comparatorName: 'anySizePixelmatch', comparators: { anySizePixelmatch } }
 */
export function anySizePixelmatch(
  reference: Image,
  actual: Image,
  {
    createDiff,
    allowedMismatchedPixels,
    allowedMismatchedPixelRatio,
    ...options
  }: PixelmatchOptions & {
    createDiff: boolean
  },
): { pass: boolean; diff: Uint8Array | null; message: string | null } {
  const { width, height } = reference.metadata
  const sameSize = actual.metadata.width === width && actual.metadata.height === height
  const laidOver = sameSize ? actual.data : layOver(actual, width, height)
  const diff = createDiff ? new Uint8Array(width * height * 4) : null
  let mismatched = pixelmatch(reference.data, laidOver, diff ?? undefined, width, height, {
    threshold: 0.1,
    ...options,
  })
  if (!sameSize) {
    const overlap = Math.min(width, actual.metadata.width) * Math.min(height, actual.metadata.height)
    // The actual picture's pixels beyond the reference canvas differ too (pixelmatch saw none of them).
    mismatched += actual.metadata.width * actual.metadata.height - overlap
  }
  const area = Math.max(width * height, actual.metadata.width * actual.metadata.height)
  const allowed = Math.min(
    allowedMismatchedPixels ?? Number.POSITIVE_INFINITY,
    (allowedMismatchedPixelRatio ?? Number.POSITIVE_INFINITY) * area,
  )
  const pass = mismatched <= (allowed === Number.POSITIVE_INFINITY ? 0 : allowed)
  const size = sameSize
    ? ''
    : ` The size changed from ${width}×${height} to ${actual.metadata.width}×${actual.metadata.height} px.`
  return {
    pass,
    diff,
    message: pass ? null : `${mismatched} pixels (ratio ${(mismatched / area).toFixed(3)}) differ.${size}`,
  }
}

/** `image` on an opaque magenta `width`×`height` canvas (no story draws it), from its top-left corner. */
function layOver(image: Image, width: number, height: number): Uint8Array {
  const canvas = new Uint8Array(width * height * 4)
  for (let index = 0; index < canvas.length; index += 4) canvas.set([255, 0, 255, 255], index)
  const rowBytes = Math.min(width, image.metadata.width) * 4
  for (let y = 0; y < Math.min(height, image.metadata.height); y++) {
    const from = y * image.metadata.width * 4
    canvas.set(image.data.subarray(from, from + rowBytes), y * width * 4)
  }
  return canvas
}
