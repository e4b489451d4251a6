// The assembly text objdump should print for each form, written from the Arm ARM's alias rules
// (the "preferred disassembly" conditions of C6.2) independently of the encoder under test.

import { expect } from 'vitest';
import { Arm64Assembler } from '../../src/assembler/index.ts';
import { disassemble } from './objdump.ts';

export const SP = 32;
export const ZR = 31;

/** Integer register name; 31 is the zero register, 32 the stack pointer. */
export function gp(size: 32 | 64, r: number): string {
  if (r === SP) return size === 64 ? 'sp' : 'wsp';
  if (r === ZR) return size === 64 ? 'xzr' : 'wzr';
  return `${size === 64 ? 'x' : 'w'}${r}`;
}

export function x(r: number): string {
  return gp(64, r);
}

export function hex(v: number | bigint): string {
  return `#0x${v.toString(16)}`;
}

/** GNU objdump prints hs/lo as cs/cc. */
export const CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];

/** Deterministic xorshift32 so that failures reproduce. */
export class Rng {
  constructor(private state = 0x9e3779b9) {}
  next(): number {
    let s = this.state;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.state = s >>> 0;
    return this.state;
  }
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + (this.next() % (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.next() % items.length]!;
  }
}

export interface Case {
  /** Emits exactly one instruction. */
  readonly emit: (a: Arm64Assembler) => void;
  readonly text: string;
}

/**
 * Assembles every case into one buffer, disassembles it once and checks each instruction's text.
 * Returns the number of instructions checked.
 */
export function roundTrip(cases: readonly Case[]): number {
  const asm = new Arm64Assembler();
  for (const c of cases) {
    const before = asm.offset;
    c.emit(asm);
    if (asm.offset !== before + 4) throw new Error(`case "${c.text}" emitted ${asm.offset - before} bytes, expected 4`);
  }
  const { code } = asm.finish();
  const texts = disassemble(code);
  const mismatches: string[] = [];
  for (let i = 0; i < cases.length; i++) {
    if (texts[i] !== cases[i]!.text) {
      const word = (code[i * 4]! | (code[i * 4 + 1]! << 8) | (code[i * 4 + 2]! << 16) | (code[i * 4 + 3]! << 24)) >>> 0;
      mismatches.push(`@${i * 4} ${word.toString(16).padStart(8, '0')}: expected "${cases[i]!.text}", objdump "${texts[i]}"`);
    }
  }
  expect(mismatches.slice(0, 25)).toEqual([]);
  expect(texts.length).toBe(cases.length);
  return cases.length;
}

/**
 * Every bitmask immediate, built here from its definition (a rotated run of ones replicated over
 * the register), independently of the encoder.
 */
export function allBitmaskValues(size: 32 | 64): bigint[] {
  const values: bigint[] = [];
  for (let esize = 2; esize <= size; esize *= 2) {
    const emask = (1n << BigInt(esize)) - 1n;
    for (let ones = 1; ones < esize; ones++) {
      const run = (1n << BigInt(ones)) - 1n;
      for (let rot = 0; rot < esize; rot++) {
        const elem = ((run << BigInt(rot)) | (run >> BigInt(esize - rot))) & emask;
        let v = 0n;
        for (let i = 0; i < size; i += esize) v |= elem << BigInt(i);
        values.push(v);
      }
    }
  }
  return values;
}

