// Decoder options per testsuite group. A proposal that gives a meaning to bits the core format
// declares malformed is opt-in in the decoder, so that the core scripts are judged exactly as
// the core spec says; its own scripts are decoded with it on.
import type { DecodeOptions } from '@flint/decoder';

const CUSTOM_PAGE_SIZES: DecodeOptions = { features: { customPageSizes: true } };

/** The decoder options for the scripts of `group` (`core`, `proposals/<name>`, …). */
export function decodeOptionsFor(group: string): DecodeOptions | undefined {
  return group === 'proposals/custom-page-sizes' ? CUSTOM_PAGE_SIZES : undefined;
}
