// The core testsuite's numeric and control scripts, run on the host's WebAssembly engine with
// modules encoded by this parser: every `assert_return` must hold. This checks the meaning of
// the encoding (literal rounding, NaN payloads, offsets, label depths) with an independent
// implementation. Only scripts within what Node 20 runs without flags are listed; invocations
// whose arguments or results are v128 or references, or whose arguments are NaNs with payloads
// (a JS number cannot carry them), are not checked here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TESTSUITE, hasTestsuite } from '@flint/test-support';
import { parseWast } from '../src/index.ts';
import type { WastConst, WastExpected } from '../src/index.ts';

const ROOT = TESTSUITE;
const available = hasTestsuite();

const SCRIPTS = [
  'address.wast', 'block.wast', 'br.wast', 'call.wast', 'call_indirect.wast', 'const.wast', 'endianness.wast',
  'f32.wast', 'f32_bitwise.wast', 'f32_cmp.wast', 'f64.wast', 'f64_bitwise.wast', 'f64_cmp.wast', 'fac.wast', 'float_exprs.wast',
  'float_literals.wast', 'float_misc.wast', 'forward.wast', 'i32.wast', 'i64.wast', 'if.wast', 'int_exprs.wast', 'int_literals.wast',
  'labels.wast', 'left-to-right.wast', 'local_tee.wast', 'loop.wast', 'memory.wast', 'names.wast', 'nop.wast', 'return.wast',
  'select.wast', 'stack.wast', 'switch.wast',
];

/**
 * Scripts whose text modules use only what Node 20 compiles without flags (MVP, SIMD, bulk
 * memory, reference types, tail calls): the host must accept every one of those modules.
 */
const VALIDATED = [
  ...'address align annotations binary-gc binary-leb128 binary binary0 binary_leb128_64 block br br_if bulk call call_indirect comments const conversions custom endianness exports f32 f32_bitwise f32_cmp f64 f64_bitwise f64_cmp fac float_exprs float_literals float_memory float_misc forward func func_ptrs i32 i64 id if imports inline-module int_exprs int_literals labels left-to-right load local_get local_set local_tee loop memory memory_copy memory_fill memory_init memory_redundancy memory_size memory_size3 memory_trap names nop obsolete-keywords ref_func return return_call return_call_indirect select skip-stack-guard-page stack start store switch table_copy table_fill table_get table_grow table_set table_size token traps type unreachable unreached-invalid unwind utf8-custom-section-id utf8-import-field utf8-import-module utf8-invalid-encoding'.split(' '),
  ...'address align bit_shift bitwise boolean const conversions f32x4 f32x4_arith f32x4_cmp f32x4_pmin_pmax f32x4_rounding f64x2 f64x2_arith f64x2_cmp f64x2_pmin_pmax f64x2_rounding i16x8_arith i16x8_arith2 i16x8_cmp i16x8_extadd_pairwise_i8x16 i16x8_extmul_i8x16 i16x8_q15mulr_sat_s i16x8_sat_arith i32x4_arith i32x4_arith2 i32x4_cmp i32x4_dot_i16x8 i32x4_extadd_pairwise_i16x8 i32x4_extmul_i16x8 i32x4_trunc_sat_f32x4 i32x4_trunc_sat_f64x2 i64x2_arith i64x2_arith2 i64x2_cmp i64x2_extmul_i32x4 i8x16_arith i8x16_arith2 i8x16_cmp i8x16_sat_arith int_to_int_extend lane linking load load16_lane load32_lane load64_lane load8_lane load_extend load_splat load_zero select splat store store16_lane store32_lane store64_lane store8_lane'
    .split(' ')
    .map((name) => `simd_${name}`),
].map((name) => `${name}.wast`);

// The workspace compiles without DOM typings, so the host API is declared by hand.
interface HostInstance {
  readonly exports: Record<string, (...args: unknown[]) => unknown>;
}
interface HostWebAssembly {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => HostInstance;
}
const host = (globalThis as unknown as { WebAssembly: HostWebAssembly }).WebAssembly;
const ignore = (): void => {};
/** The functions of the testsuite's `spectest` module that these scripts import. */
const SPECTEST = { print: ignore, print_i32: ignore, print_i64: ignore, print_f32: ignore, print_f64: ignore, print_i32_f32: ignore, print_f64_f64: ignore };

const view = new DataView(new ArrayBuffer(8));
const f32FromBits = (bits: number): number => (view.setUint32(0, bits), view.getFloat32(0));
const f64FromBits = (bits: bigint): number => (view.setBigUint64(0, bits), view.getFloat64(0));
const f32Bits = (x: number): number => (view.setFloat32(0, x), view.getUint32(0));
const f64Bits = (x: number): bigint => (view.setFloat64(0, x), view.getBigUint64(0));
const QUIET_F32 = 0x7fc0_0000;
const QUIET_F64 = 0x7ff8_0000_0000_0000n;

/** A JS value for an argument, or null when JS cannot represent it exactly. */
function toHost(arg: WastConst): unknown {
  switch (arg.type) {
    case 'i32':
    case 'i64':
      return arg.value;
    case 'f32':
      return Number.isNaN(f32FromBits(arg.bits)) && (arg.bits & 0x7fff_ffff) !== QUIET_F32 ? null : f32FromBits(arg.bits);
    case 'f64':
      return Number.isNaN(f64FromBits(arg.bits)) && (arg.bits & 0x7fff_ffff_ffff_ffffn) !== QUIET_F64 ? null : f64FromBits(arg.bits);
    default:
      return null;
  }
}

/** Whether a returned JS value matches; null when the expectation is out of this test's scope. */
function matches(actual: unknown, expected: WastExpected): boolean | null {
  switch (expected.type) {
    case 'i32':
      return typeof actual === 'number' && (actual | 0) === expected.value;
    case 'i64':
      return typeof actual === 'bigint' && BigInt.asIntN(64, actual) === expected.value;
    case 'f32':
    case 'f64': {
      if (typeof actual !== 'number') return false;
      // A NaN result's payload is not observable through a JS number.
      if ('nan' in expected) return Number.isNaN(actual);
      if (expected.type === 'f32') return Number.isNaN(f32FromBits(expected.bits)) ? Number.isNaN(actual) : f32Bits(actual) === expected.bits;
      return Number.isNaN(f64FromBits(expected.bits)) ? Number.isNaN(actual) : f64Bits(actual) === expected.bits;
    }
    default:
      return null;
  }
}

describe.skipIf(!available)('host engine runs the encoded testsuite modules', () => {
  it.each(SCRIPTS)('%s', (file) => {
    const script = parseWast(readFileSync(join(ROOT, file), 'utf8'), file);
    const named = new Map<string, HostInstance>();
    let current: HostInstance | null = null;
    let checked = 0;
    const failures: string[] = [];
    for (const c of script.commands) {
      if (c.type === 'module') {
        expect(c.error, `${file}:${c.line}`).toBeUndefined();
        if (c.kind === 'quote' || c.bytes === undefined) continue;
        current = new host.Instance(new host.Module(c.bytes), { spectest: SPECTEST });
        if (c.id !== undefined) named.set(c.id, current);
        continue;
      }
      if (c.type === 'action' && c.action.type === 'invoke') {
        const args = c.action.args.map(toHost);
        const instance = c.action.module !== null ? named.get(c.action.module) : current;
        expect(instance, `${file}:${c.line}`).toBeTruthy();
        expect(args, `${file}:${c.line}`).not.toContain(null);
        instance!.exports[c.action.name]!(...args);
        continue;
      }
      if (c.type !== 'assert_return' || c.action.type !== 'invoke' || c.expected.length > 1) continue;
      const instance = c.action.module !== null ? named.get(c.action.module) : current;
      const args = c.action.args.map(toHost);
      if (instance === undefined || instance === null || args.includes(null)) continue;
      const actual = instance.exports[c.action.name]!(...args);
      const expected = c.expected[0];
      const ok = expected === undefined ? actual === undefined : matches(actual, expected);
      if (ok === null) continue;
      checked++;
      if (!ok) failures.push(`${file}:${c.line}: ${c.action.name} returned ${String(actual)}`);
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });
});

describe.skipIf(!available)('host engine validates the encoded testsuite modules', () => {
  it('accepts every text module of the scripts within its feature set', () => {
    const rejected: string[] = [];
    let validated = 0;
    for (const file of VALIDATED) {
      for (const c of parseWast(readFileSync(join(ROOT, file), 'utf8'), file).commands) {
        const module = c.type === 'module' ? c : c.type === 'assert_trap_module' || c.type === 'assert_unlinkable' || c.type === 'assert_uninstantiable' ? c.module : null;
        if (module === null || module.kind !== 'text') continue;
        if (module.bytes !== undefined && host.validate(module.bytes)) validated++;
        else rejected.push(`${file}:${module.line}`);
      }
    }
    expect(rejected).toEqual([]);
    expect(validated).toBeGreaterThan(1500);
  }, 120_000);
});
