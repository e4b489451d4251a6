// The validator's specialised body loop (`body-loop.ts`) must judge every function body exactly
// as the generic operator loop driving `FunctionValidator.visit` does: same verdict, same
// message, same offset. Checked differentially on every binary module of the testsuite, on a
// real-world module (sqlite3, from the benchmark's corpus, when installed), and on mutations of
// their function bodies (which reach the fast paths' rejection branches).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { available } from '@flint/test-support';
import { CompileError } from '../src/errors.ts';
import { OperatorReader } from '../src/operators.ts';
import { decodeModule } from '../src/streaming.ts';
import type { Module } from '../src/types.ts';
import { validateFunctionBody } from '../src/validate/body-loop.ts';
import { FunctionValidator } from '../src/validate/function-validator.ts';
import { ModuleContext } from '../src/validate/module-context.ts';
import { TypeCanonicalizer } from '../src/validate/type-canonicalizer.ts';
import { Prng } from './support/prng.ts';
import { loadBinaryModules } from './support/wast-corpus.ts';

type Loop = 'fast' | 'generic';

const SQLITE = new URL('../../../apps/bench/node_modules/@sqlite.org/sqlite-wasm/sqlite-wasm/jswasm/sqlite3.wasm', import.meta.url);

/** Each body's outcome under one loop: 'ok' or the CompileError's message and offset. */
function outcomes(module: Module, loop: Loop, codes: Module['codes'] = module.codes): string[] {
  const canonicalizer = new TypeCanonicalizer();
  let ids: Int32Array;
  try {
    ids = canonicalizer.canonicalize(module.types);
  } catch {
    return []; // invalid types: the module-level checks' concern, not the body loop's
  }
  const ctx = new ModuleContext(module, ids, canonicalizer);
  ctx.declaredFunctions.fill(1);
  const v = new FunctionValidator(ctx);
  const reader = new OperatorReader();
  const out: string[] = [];
  for (const body of codes) {
    const where = `function #${body.funcIndex}`;
    try {
      if (module.functions[body.funcIndex]! >= module.types.length || ctx.paramsList[module.functions[body.funcIndex]!]! < 0) continue;
      v.beginFunction(body.funcIndex, body.locals, body.code.bytes, body.code.offset);
      if (loop === 'fast') validateFunctionBody(v, reader, body.code, body.funcIndex);
      else reader.read(body.code, 0, v, true, where);
      v.finish(body.code.offset + body.code.bytes.length);
      out.push('ok');
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      out.push(`${e.message} @${e.offset}`);
    }
  }
  return out;
}

function decodeOrNull(bytes: Uint8Array): Module | null {
  try {
    return decodeModule(bytes, { features: { customPageSizes: true } });
  } catch {
    return null;
  }
}

const corpus = loadBinaryModules().filter((m) => !m.where.startsWith('proposals/custom-descriptors/'));

describe('the specialised body loop agrees with the generic loop', () => {
  it('on every function body of the testsuite', () => {
    let bodies = 0;
    let rejected = 0;
    for (const m of corpus) {
      const module = decodeOrNull(m.bytes);
      if (module === null) continue;
      const fast = outcomes(module, 'fast');
      expect(fast, m.where).toEqual(outcomes(module, 'generic'));
      bodies += fast.length;
      rejected += fast.filter((o) => o !== 'ok').length;
    }
    expect(bodies).toBeGreaterThan(50);
    expect(rejected).toBeGreaterThan(10);
  });

  // The benchmark's modules are devDependencies of apps/bench; without them there is nothing to read.
  it.skipIf(!available('the benchmark corpus (sqlite3.wasm, installed with apps/bench)', existsSync(SQLITE)))('on every body of sqlite3, and on 3000 mutations of its bodies (skipped when apps/bench is not installed)', () => {
    const module = decodeModule(new Uint8Array(readFileSync(SQLITE)));
    const fast = outcomes(module, 'fast');
    expect(fast).toEqual(outcomes(module, 'generic'));
    expect(fast.length).toBe(module.codes.length);
    expect(fast.every((o) => o === 'ok')).toBe(true);
    const prng = new Prng(0x5417e);
    let rejected = 0;
    for (let i = 0; i < 3000; i++) {
      const original = module.codes[prng.below(module.codes.length)]!;
      const bytes = original.code.bytes.slice();
      const flips = 1 + prng.below(2);
      for (let j = 0; j < flips; j++) bytes[prng.below(bytes.length)] = prng.below(256);
      const codes = [{ ...original, code: { bytes, offset: original.code.offset } }];
      const mutated = outcomes(module, 'fast', codes);
      expect(mutated, `mutation ${i} of function #${original.funcIndex}`).toEqual(outcomes(module, 'generic', codes));
      if (mutated[0] !== 'ok') rejected++;
    }
    expect(rejected).toBeGreaterThan(1000);
  });

  it('on 4000 mutations of function bodies', () => {
    const seeds = corpus.map((m) => ({ bytes: m.bytes, module: decodeOrNull(m.bytes) })).filter((s) => s.module !== null && s.module.codes.length > 0);
    const prng = new Prng(0xb0d1);
    let compared = 0;
    let disagreements = 0;
    for (let i = 0; i < 4000; i++) {
      const seed = seeds[prng.below(seeds.length)]!;
      const body = seed.module!.codes[prng.below(seed.module!.codes.length)]!.code;
      if (body.bytes.length === 0) continue;
      const bytes = seed.bytes.slice();
      const flips = 1 + prng.below(3);
      // Bytes that the fast paths care about most: opcodes of locals, constants, memory, blocks.
      const favourites = [0x20, 0x21, 0x22, 0x23, 0x24, 0x41, 0x42, 0x28, 0x36, 0x02, 0x0b, 0x0d, 0x10, 0x80, 0xff, 0x40, 0x7f];
      for (let j = 0; j < flips; j++) {
        const at = body.offset + prng.below(body.bytes.length);
        bytes[at] = prng.below(2) === 0 ? favourites[prng.below(favourites.length)]! : prng.below(256);
      }
      const module = decodeOrNull(bytes);
      if (module === null) continue;
      compared++;
      const fast = outcomes(module, 'fast');
      const generic = outcomes(module, 'generic');
      if (JSON.stringify(fast) !== JSON.stringify(generic)) {
        disagreements++;
        expect(fast, `mutation ${i}: ${Buffer.from(bytes).toString('hex')}`).toEqual(generic);
      }
    }
    expect(disagreements).toBe(0);
    expect(compared).toBeGreaterThan(2000);
  });
});
