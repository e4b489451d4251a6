// The engines the suite runs against, one row each: how a child process installs the engine's
// namespace as the global `WebAssembly` (as a user replacing the built-in one would), and how
// it recognises the engine saying "this feature is not implemented", which turns a failure
// into a skip with a reason.

export type EngineName = 'flint' | 'node';

export interface JsApiEngine {
  readonly name: EngineName;
  readonly description: string;
  /** Installs the namespace; returns the skip reason of an error, or null when it is a real failure. */
  install(): Promise<(error: unknown) => string | null>;
}

/**
 * Why each proposal Flint reports as unsupported is not there yet, keyed by the feature name of
 * the runtime's `UnsupportedError: proposal not supported: <feature>`.
 */
export const UNSUPPORTED_FEATURE_REASONS: Readonly<Record<string, string>> = {
  exceptions:
    'exception handling: Tag and Exception objects work from JS, but throwing or catching in Wasm code waits for the exception-handling proposal in the compilers',
  gc: 'GC: struct, array and i31 references are not compiled by any tier yet',
  simd: 'SIMD: v128 code is not compiled by the baseline tier yet',
  memory64: 'memory64: code that addresses a 64-bit memory or table is not compiled by the baseline tier yet',
  threads:
    'threads: shared memories and atomic instructions are not supported by the baseline tier yet',
  'js-string-builtins': 'JS String Builtins are not implemented',
};

const NOT_SUPPORTED = /^proposal not supported: ([\w-]+)/;

export const ENGINES: readonly JsApiEngine[] = [
  {
    name: 'flint',
    description: "Flint's namespace (`import { WebAssembly } from '@flint/runtime'`, the built package)",
    async install() {
      const runtime = await import('@flint/runtime');
      (globalThis as unknown as Record<string, unknown>).WebAssembly = runtime.WebAssembly;
      // The runtime's two "not supported" errors: a CompileError for a module using a feature no
      // tier can run (UnsupportedFeatureError, with the feature's name), and UnsupportedError for
      // one met later (e.g. an unsupported value crossing the boundary).
      return (error) => {
        let feature: string | undefined;
        if (error instanceof runtime.UnsupportedFeatureError) feature = error.feature;
        else if (error instanceof runtime.UnsupportedError) feature = NOT_SUPPORTED.exec(error.message)?.[1];
        if (feature === undefined) return null;
        return UNSUPPORTED_FEATURE_REASONS[feature] ?? `proposal not supported: ${feature}`;
      };
    },
  },
  {
    name: 'node',
    description: `Node ${process.version}'s own WebAssembly (V8), the reference`,
    async install() {
      return () => null;
    },
  },
];

export function engineNamed(name: string): JsApiEngine {
  const engine = ENGINES.find((e) => e.name === name);
  if (engine === undefined) throw new Error(`unknown engine "${name}" (known: ${ENGINES.map((e) => e.name).join(', ')})`);
  return engine;
}
