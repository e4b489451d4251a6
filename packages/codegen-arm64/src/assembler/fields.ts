// Operand checks shared by every instruction family: each returns the value of the encoding field
// or throws `AssemblerError` naming the instruction and the offending operand. They are integer
// compares only, so emitting stays allocation-free on the success path.

import { invalidOperand } from './errors.ts';
import { Gpr } from './registers.ts';
import type { FpSize, RegSize } from './registers.ts';

/** A register operand where number 31 means the zero register: x0..x30 or `zr`. */
export function rz(reg: Gpr, what: string): number {
  if (reg >>> 0 <= 31 && Number.isInteger(reg)) return reg;
  if (reg === Gpr.sp) throw invalidOperand(`${what}: sp is not allowed here (register 31 means zr in this operand)`);
  throw invalidOperand(`${what}: ${String(reg)} is not a general-purpose register`);
}

/** A register operand where number 31 means the stack pointer: x0..x30 or `sp`. */
export function rs(reg: Gpr, what: string): number {
  if (reg >>> 0 <= 30 && Number.isInteger(reg)) return reg;
  if (reg === Gpr.sp) return 31;
  if (reg === Gpr.zr) throw invalidOperand(`${what}: zr is not allowed here (register 31 means sp in this operand)`);
  throw invalidOperand(`${what}: ${String(reg)} is not a general-purpose register`);
}

/** A SIMD/FP register v0..v31. */
export function vr(reg: number, what: string): number {
  if (reg >>> 0 <= 31 && Number.isInteger(reg)) return reg;
  throw invalidOperand(`${what}: ${String(reg)} is not a vector register (v0..v31)`);
}

/** The `sf` bit (bit 31) for an integer operand size. */
export function sf(size: RegSize, what: string): number {
  if (size === 64) return 0x80000000;
  if (size === 32) return 0;
  throw invalidOperand(`${what}: operand size must be 32 or 64, got ${String(size)}`);
}

/** The `type` field (bits 22-23) of a scalar FP instruction. */
export function ftype(size: FpSize, what: string): number {
  if (size === 32) return 0;
  if (size === 64) return 1 << 22;
  throw invalidOperand(`${what}: floating-point size must be 32 or 64, got ${String(size)}`);
}

/** An unsigned immediate in [0, limit]. */
export function uimm(value: number, limit: number, what: string): number {
  if (Number.isInteger(value) && value >= 0 && value <= limit) return value;
  throw invalidOperand(`${what}: ${String(value)} is outside 0..${limit}`);
}

/** A signed immediate in [-2^(bits-1), 2^(bits-1)), returned as its `bits`-bit field. */
export function simm(value: number, bits: number, what: string): number {
  const half = 2 ** (bits - 1);
  if (Number.isInteger(value) && value >= -half && value < half) return value & (2 * half - 1);
  throw invalidOperand(`${what}: ${String(value)} is outside ${-half}..${half - 1}`);
}
