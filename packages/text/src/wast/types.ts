// The script format's data model: what `parseWast` returns for each command of a `.wast` file.
// Spec: https://github.com/WebAssembly/spec/tree/main/interpreter#scripts
import type { WatSyntaxError } from '../errors.ts';

export type V128Shape = 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2';

/** A concrete argument or expected value. Floats keep their raw bits, so NaN payloads survive. */
export type WastConst =
  | { readonly type: 'i32'; /** Signed two's-complement value. */ readonly value: number }
  | { readonly type: 'i64'; /** Signed two's-complement value. */ readonly value: bigint }
  | { readonly type: 'f32'; /** IEEE bits, unsigned. */ readonly bits: number }
  | { readonly type: 'f64'; /** IEEE bits, unsigned. */ readonly bits: bigint }
  | { readonly type: 'v128'; readonly shape: V128Shape; /** 16 little-endian bytes. */ readonly bytes: Uint8Array }
  | WastRef;

export type WastRefKind =
  | 'ref.null'
  | 'ref.extern'
  | 'ref.host'
  | 'ref.func'
  | 'ref.any'
  | 'ref.eq'
  | 'ref.i31'
  | 'ref.struct'
  | 'ref.array'
  | 'ref.exn';

/**
 * A reference. `value` is the host/extern payload (`ref.extern 1`); `heap` the heap type of
 * `ref.null` (`func`, `extern`, `$t`, …) or the function named by `ref.func`. In expected
 * results, a missing `value`/`heap` matches any reference of that kind.
 */
export interface WastRef {
  readonly type: WastRefKind;
  readonly value?: number;
  readonly heap?: string;
}

export type NanPattern = 'nan:canonical' | 'nan:arithmetic';

/** One lane (or whole scalar) of an expected float result. */
export type FloatPattern =
  | { readonly type: 'f32'; readonly bits: number }
  | { readonly type: 'f64'; readonly bits: bigint }
  | { readonly type: 'f32' | 'f64'; readonly nan: NanPattern };

/** An expected result of `assert_return`. */
export type WastExpected =
  | WastConst
  | { readonly type: 'f32' | 'f64'; readonly nan: NanPattern }
  | {
      readonly type: 'v128';
      readonly shape: V128Shape;
      /** Per-lane patterns: integer lanes as bigint bit patterns, float lanes as FloatPattern. */
      readonly lanes: readonly (bigint | FloatPattern)[];
    }
  | { readonly type: 'either'; readonly options: readonly WastExpected[] };

export type WastAction =
  | { readonly type: 'invoke'; readonly module: string | null; readonly name: string; readonly args: readonly WastConst[]; readonly line: number }
  | { readonly type: 'get'; readonly module: string | null; readonly name: string; readonly line: number };

/** A module of a script. Text modules are encoded eagerly; quoted text is left for the consumer. */
export interface WastModule {
  readonly kind: 'text' | 'binary' | 'quote';
  /** The binary module: for `binary` always, for `text` unless `error` is set. */
  readonly bytes?: Uint8Array;
  /** The quoted text of a `quote` module (not parsed: assert_malformed expects it to fail). */
  readonly source?: string;
  readonly id?: string;
  /** `(module definition …)`: defined, not instantiated. */
  readonly definition?: boolean;
  /** Why a text module could not be encoded; the rest of the script is still parsed. */
  readonly error?: WatSyntaxError;
  readonly line: number;
}

export type WastCommand =
  | ({ readonly type: 'module' } & WastModule)
  | { readonly type: 'module_instance'; readonly instance: string | null; readonly module: string | null; readonly line: number }
  | { readonly type: 'register'; readonly name: string; readonly module: string | null; readonly line: number }
  | { readonly type: 'action'; readonly action: WastAction; readonly line: number }
  | { readonly type: 'assert_return'; readonly action: WastAction; readonly expected: readonly WastExpected[]; readonly line: number }
  | { readonly type: 'assert_trap'; readonly action: WastAction; readonly text: string; readonly line: number }
  | { readonly type: 'assert_trap_module'; readonly module: WastModule; readonly text: string; readonly line: number }
  | { readonly type: 'assert_exhaustion'; readonly action: WastAction; readonly text: string; readonly line: number }
  | { readonly type: 'assert_exception'; readonly action: WastAction; readonly line: number }
  | {
      readonly type: 'assert_invalid' | 'assert_malformed' | 'assert_unlinkable' | 'assert_uninstantiable' | 'assert_invalid_custom' | 'assert_malformed_custom';
      readonly module: WastModule;
      readonly text: string;
      readonly line: number;
    }
  | { readonly type: 'thread'; readonly id: string; readonly shared: readonly string[]; readonly commands: readonly WastCommand[]; readonly line: number }
  | { readonly type: 'wait'; readonly id: string; readonly line: number };

export interface WastScript {
  readonly filename: string | undefined;
  readonly commands: readonly WastCommand[];
}
