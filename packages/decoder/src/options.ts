// Options of decoding: which proposals beyond Wasm 3.0 the binary format may use. By default
// the decoder accepts exactly the Wasm 3.0 core format (plus the proposals that add operators
// or types without changing an existing encoding, which are always on); a proposal that gives
// a meaning to bits the core spec declares malformed is opt-in here, so that core modules are
// judged exactly as the core testsuite expects.

/** Proposals that change how existing encodings are read. All default to false. */
export interface DecodeFeatures {
  /**
   * custom-page-sizes: bit 3 of a memory's limits flags announces a page size exponent
   * (`(pagesize 1)`). Without it, the flag is "malformed limits flags" as in core `binary.wast`.
   * https://github.com/WebAssembly/custom-page-sizes/blob/main/proposals/custom-page-sizes/Overview.md
   */
  readonly customPageSizes?: boolean;
}

export interface DecodeOptions {
  readonly features?: DecodeFeatures;
}

/** The features in force, every one spelled out. */
export interface EnabledFeatures {
  readonly customPageSizes: boolean;
}

export const CORE_FEATURES: EnabledFeatures = { customPageSizes: false };

export function enabledFeatures(options: DecodeOptions | undefined): EnabledFeatures {
  const f = options?.features;
  if (f === undefined) return CORE_FEATURES;
  return { customPageSizes: f.customPageSizes === true };
}
