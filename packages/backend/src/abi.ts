// Calling conventions as data, and the one piece of ABI logic every ISA shares: assigning
// parameter and result locations. The backend sees Wasm values only as `ValueKind`s, and
// `valueKindOf` is the one mapping from Wasm value types onto them, used by both tiers and the
// runtime.

import { RegClass, type Reg, type RegSet } from './regs.ts';

/** How a Wasm value lives in machine registers. References are pointer-sized integers. */
export const ValueKind = {
  I32: 0,
  I64: 1,
  F32: 2,
  F64: 3,
  V128: 4,
  Ref: 5,
} as const;
export type ValueKind = (typeof ValueKind)[keyof typeof ValueKind];

/**
 * Bit set in every reference type's code. The backend may not import the decoder, so the encoding
 * `valueKindOf` accepts is stated here — the decoder's `ValType`: numeric and vector types are
 * their binary type codes, reference types are packed numbers with this bit set — and the tiers'
 * tests check it against the decoder.
 */
export const REFERENCE_TYPE_BIT = 0x100;

/**
 * The machine kind of a Wasm value type (a decoder `ValType`). It only maps: `v128` is
 * `ValueKind.V128` whether or not a tier compiles it, and deciding that is the tier's business.
 * Throws `RangeError` for codes that are not value types (packed storage types, the validator's
 * bottom type), which no validated function signature or local contains.
 */
export function valueKindOf(type: number): ValueKind {
  // Binary codes: https://webassembly.github.io/spec/core/binary/types.html#number-types
  switch (type) {
    case 0x7f:
      return ValueKind.I32;
    case 0x7e:
      return ValueKind.I64;
    case 0x7d:
      return ValueKind.F32;
    case 0x7c:
      return ValueKind.F64;
    case 0x7b:
      return ValueKind.V128;
    default:
      if ((type & REFERENCE_TYPE_BIT) !== 0) return ValueKind.Ref;
      throw new RangeError(`value type code 0x${type.toString(16)} is not a value type`);
  }
}

export const valueKindClass = (kind: ValueKind): RegClass =>
  kind === ValueKind.F32 || kind === ValueKind.F64 || kind === ValueKind.V128 ? RegClass.Float : RegClass.Int;

/** Size of a value of `kind` in bytes (references are 64-bit pointers on every supported ISA). */
export function valueKindSize(kind: ValueKind): number {
  switch (kind) {
    case ValueKind.I32:
    case ValueKind.F32:
      return 4;
    case ValueKind.V128:
      return 16;
    default:
      return 8;
  }
}

/** A function signature in machine terms. */
export interface Signature {
  readonly params: readonly ValueKind[];
  readonly results: readonly ValueKind[];
}

export interface CallingConvention {
  readonly name: string;
  /** Integer/pointer argument registers, in order. */
  readonly intArgs: readonly Reg[];
  /** Float/vector argument registers, in order. */
  readonly floatArgs: readonly Reg[];
  /** Result registers, in order; results beyond these go to the stack result area. */
  readonly intResults: readonly Reg[];
  readonly floatResults: readonly Reg[];
  /** Registers a callee must preserve, per class. */
  readonly calleeSavedInt: RegSet;
  readonly calleeSavedFloat: RegSet;
  /** Required stack-pointer alignment at a call instruction, in bytes. */
  readonly stackAlignment: number;
  /** Bytes below the stack pointer a leaf function may use without moving it (SysV: 128). */
  readonly redZone: number;
  /** Bytes the caller reserves above the arguments for the callee (Win64: 32). */
  readonly shadowSpace: number;
  /** Size of one stack-argument slot; stack arguments are pushed in order from the lowest address. */
  readonly stackSlotSize: number;
  /**
   * Whether integer and float arguments draw from one shared position counter (Win64) or
   * independent ones (System V, AAPCS64).
   */
  readonly sharedArgCounter: boolean;
}

/** Where one parameter or result lives: a register, or a stack offset from the argument area. */
export type ValueLocation =
  | { readonly kind: 'reg'; readonly reg: Reg }
  | { readonly kind: 'stack'; readonly offset: number };

export interface CallLayout {
  readonly params: readonly ValueLocation[];
  readonly results: readonly ValueLocation[];
  /** Bytes of stack arguments (excluding shadow space), rounded up to the stack alignment. */
  readonly stackArgBytes: number;
  /** Bytes of the stack result area for results that did not fit in registers. */
  readonly stackResultBytes: number;
}

/** Assigns every parameter and result of `signature` to a location under `cc`. */
export function computeCallLayout(cc: CallingConvention, signature: Signature): CallLayout {
  const params = assign(cc, signature.params, cc.intArgs, cc.floatArgs, cc.shadowSpace);
  const results = assign(cc, signature.results, cc.intResults, cc.floatResults, 0);
  return {
    params: params.locations,
    results: results.locations,
    stackArgBytes: alignTo(params.stackBytes - cc.shadowSpace, cc.stackAlignment),
    stackResultBytes: alignTo(results.stackBytes, cc.stackAlignment),
  };
}

function assign(
  cc: CallingConvention,
  kinds: readonly ValueKind[],
  intRegs: readonly Reg[],
  floatRegs: readonly Reg[],
  firstStackOffset: number,
): { locations: ValueLocation[]; stackBytes: number } {
  const locations: ValueLocation[] = [];
  let nextInt = 0;
  let nextFloat = 0;
  let stack = firstStackOffset;
  for (const kind of kinds) {
    const isFloat = valueKindClass(kind) === RegClass.Float;
    const regs = isFloat ? floatRegs : intRegs;
    const position = cc.sharedArgCounter ? nextInt + nextFloat : isFloat ? nextFloat : nextInt;
    if (position < regs.length) {
      locations.push({ kind: 'reg', reg: regs[position]! });
      if (isFloat) nextFloat++;
      else nextInt++;
    } else {
      const size = Math.max(cc.stackSlotSize, valueKindSize(kind));
      stack = alignTo(stack, size);
      locations.push({ kind: 'stack', offset: stack });
      stack += size;
    }
  }
  return { locations, stackBytes: stack };
}

export function alignTo(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}
