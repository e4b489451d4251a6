// Thousands of mutated modules, deterministic from a seed: every outcome is a Module or a
// CompileError — never another exception, never a hang — for the section decoders, the
// operator loop over every body and constant expression, and the streaming decoder.
import { describe, expect, it } from 'vitest';
import { CompileError, Immediates, OperatorReader, ValType, decodeModule } from '../src/index.ts';
import type { Module } from '../src/index.ts';
import { ModuleBuilder, op, uleb } from '../src/testing/index.ts';
import { loadBinaryModules } from './support/wast-corpus.ts';
import { Prng, randomChunks } from './support/prng.ts';
import { errorKey, oneShot, streamed } from './support/outcome.ts';

const MUTANTS = 4000;
const SLOW_MS = 250;

function mutate(source: Uint8Array, prng: Prng): Uint8Array {
  const bytes = [...source];
  const edits = 1 + prng.below(3);
  for (let e = 0; e < edits; e++) {
    const at = prng.below(bytes.length + 1);
    switch (prng.below(6)) {
      case 0: // bit flip
        if (at < bytes.length) bytes[at]! ^= 1 << prng.below(8);
        break;
      case 1: // truncation
        bytes.length = at;
        break;
      case 2: // insertion of random bytes
        bytes.splice(at, 0, ...Array.from({ length: 1 + prng.below(4) }, () => prng.below(256)));
        break;
      case 3: // deletion
        bytes.splice(at, 1 + prng.below(4));
        break;
      case 4: // a length or count field replaced by a huge LEB128
        bytes.splice(at, 1, ...uleb([0xffffffff, 0x7fffffff, 1_000_000, 65_536][prng.below(4)]!));
        break;
      default: // a byte replaced by a value that is special somewhere in the format
        if (at < bytes.length) bytes[at] = [0x00, 0x0b, 0x40, 0x7f, 0x80, 0xff, 0xfb, 0xfc, 0xfd, 0xfe][prng.below(10)]!;
    }
  }
  return Uint8Array.from(bytes);
}

/** Runs the operator loop over every body and constant expression, as the validator would. */
function scanOperators(m: Module): void {
  const reader = new OperatorReader(new Immediates());
  const visitor = { visit() {} };
  for (const body of m.codes) reader.read(body.code, 0, visitor);
  for (const init of m.globalInits) reader.read(init, 0, visitor);
  for (const seg of m.elements) for (const e of seg.exprs ?? []) reader.read(e, 0, visitor);
}

function seeds(): Uint8Array[] {
  const b = new ModuleBuilder();
  const t = b.addType({ params: [ValType.I32], results: [ValType.I32] });
  b.addMemory({ min: 1, max: 2 });
  b.addTable({ min: 1 });
  b.addGlobal({ type: ValType.I32, mutable: true }, op('i32.const', 5));
  b.addFunction(t, [ValType.I64], [
    ...op('block', ValType.I32),
    ...op('local.get', 0),
    ...op('br_table', [0, 0, 0], 0),
    ...op('end'),
    ...op('i32.load', { offset: 4 }),
    ...op('v128.const', new Array(16).fill(1)),
    ...op('i8x16.extract_lane_u', 3),
    ...op('i32.add'),
    ...op('end'),
  ]);
  b.addElement({ exprs: [op('ref.func', 0)] });
  b.addData({ offset: op('i32.const', 0), bytes: [1, 2, 3] });
  b.addCustomSection('name', [0x01, 0x04, 0x01, 0x00, 0x01, 0x66]);
  const valid = loadBinaryModules().filter((m) => m.assertion === null && m.bytes.length > 8).map((m) => m.bytes);
  return [b.toBytes(), ...valid];
}

describe('robustness', () => {
  it(`turns ${MUTANTS} mutated modules into a Module or a CompileError, quickly`, () => {
    const prng = new Prng(20261121);
    const pool = seeds();
    let decoded = 0;
    let rejected = 0;
    let slowest = 0;
    for (let i = 0; i < MUTANTS; i++) {
      const bytes = mutate(pool[prng.below(pool.length)]!, prng);
      const start = performance.now();
      let outcome: 'module' | 'error';
      try {
        scanOperators(decodeModule(bytes));
        outcome = 'module';
      } catch (e) {
        // Anything but a CompileError fails the test, with the input that caused it.
        if (!(e instanceof CompileError)) throw new Error(`mutant #${i} threw ${String(e)}: [${[...bytes].join(',')}]`);
        outcome = 'error';
      }
      slowest = Math.max(slowest, performance.now() - start);
      if (outcome === 'module') decoded++;
      else rejected++;
      // A tenth of the mutants also go through random chunkings, which must agree with one shot.
      if (i % 10 === 0) {
        const expected = oneShot(bytes);
        const actual = streamed(randomChunks(bytes, prng));
        if ('error' in expected) expect('error' in actual && errorKey(actual.error)).toEqual(errorKey(expected.error));
        else expect('module' in actual && actual.module).toEqual(expected.module);
      }
    }
    expect(decoded + rejected).toBe(MUTANTS);
    expect(rejected).toBeGreaterThan(MUTANTS / 4);
    expect(decoded).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(SLOW_MS);
  });
});
