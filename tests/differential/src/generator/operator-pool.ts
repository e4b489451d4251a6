// The numeric operators the generator draws from, chosen from the opcode table by signature so
// that the pool grows with the table: every fixed-signature, immediate-free operator of the
// features the baseline tier runs (MVP, sign extension, saturating truncation) over i32/i64/f32/f64.
// Spec (numeric instructions): https://webassembly.github.io/spec/core/exec/numerics.html
import type { Feature, OperatorInfo } from '@flint/decoder';
import { Imm, OPERATORS, ValType } from '@flint/decoder';

/** Features whose fixed-signature operators the differential generator uses. */
export const NUMERIC_FEATURES: ReadonlySet<Feature> = new Set<Feature>(['mvp', 'sign-extension', 'saturating-float-to-int']);

const TYPE_OF_CODE: Readonly<Record<string, ValType>> = { i: ValType.I32, l: ValType.I64, f: ValType.F32, d: ValType.F64 };

/** A numeric operator with its decoded typing. */
export interface NumericOperator {
  readonly info: OperatorInfo;
  readonly params: readonly ValType[];
  readonly result: ValType;
  /** May trap (integer division/remainder, non-saturating float→int truncation). */
  readonly traps: boolean;
  /**
   * Its NaN result has a nondeterministic payload (the spec lets an engine return any arithmetic
   * NaN), so the generator canonicalises it. Not so for abs/neg/copysign (bitwise by spec),
   * reinterpretations (bit-preserving) and int→float conversions (never NaN).
   */
  readonly nondeterministicNaN: boolean;
}

function parseTypes(codes: string): ValType[] | null {
  const out: ValType[] = [];
  for (const c of codes) {
    const t = TYPE_OF_CODE[c];
    if (t === undefined) return null;
    out.push(t);
  }
  return out;
}

const isFloat = (t: ValType): boolean => t === ValType.F32 || t === ValType.F64;

function classify(info: OperatorInfo): NumericOperator | null {
  if (info.signature === null || info.immediate !== Imm.None || !NUMERIC_FEATURES.has(info.feature)) return null;
  const [paramCodes, resultCodes] = info.signature.split(':') as [string, string];
  const params = parseTypes(paramCodes);
  const results = parseTypes(resultCodes);
  if (params === null || results === null || results.length !== 1 || params.length === 0) return null;
  const result = results[0]!;
  const name = info.name;
  const traps = /\.(div|rem)_[su]$/.test(name) || /^i(32|64)\.trunc_f(32|64)_[su]$/.test(name);
  const nondeterministicNaN = isFloat(result) && !/\.(abs|neg|copysign|reinterpret_i(32|64)|convert_i(32|64)_[su])$/.test(name);
  return { info, params, result, traps, nondeterministicNaN };
}

/** Every numeric operator of the pool, in table order. */
export const NUMERIC_OPERATORS: readonly NumericOperator[] = OPERATORS.map(classify).filter(
  (op): op is NumericOperator => op !== null,
);

/** The pool indexed by result type. */
export const NUMERIC_OPERATORS_BY_RESULT: ReadonlyMap<ValType, readonly NumericOperator[]> = (() => {
  const map = new Map<ValType, NumericOperator[]>();
  for (const op of NUMERIC_OPERATORS) {
    const list = map.get(op.result) ?? [];
    list.push(op);
    map.set(op.result, list);
  }
  return map;
})();
