// The harness must catch disagreements: each test runs V8 against a deliberately sabotaged V8
// and requires the runner to report the right aspect, and V8 against itself to agree.
import { describe, expect, test } from 'vitest';
import { checkSeed } from '../src/check-seed.ts';
import { generateModule } from '../src/generator/module-generator.ts';
import type { Mismatch, WasmNamespaceLike } from '../src/runner.ts';
import { NODE_WEBASSEMBLY, planCalls, runDifferential } from '../src/runner.ts';
import { operatorsOf } from '../src/signature.ts';
import { STACK_EXHAUSTED, outcomeOfError, outcomesAgree } from '../src/traps.ts';

const NodeRuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: new (m: string) => Error } }).WebAssembly.RuntimeError;

type Exports = Record<string, unknown>;

/** V8 with every exported function wrapped by `wrap`. */
function sabotaged(wrap: (fn: (...a: unknown[]) => unknown, exports: Exports) => (...a: unknown[]) => unknown): WasmNamespaceLike {
  class Instance {
    readonly exports: Exports;
    constructor(module: object, imports: Record<string, Record<string, unknown>>) {
      const real = new NODE_WEBASSEMBLY.Instance(module, imports).exports as Exports;
      const exports: Exports = {};
      for (const [name, value] of Object.entries(real)) {
        exports[name] = typeof value === 'function' ? wrap(value as (...a: unknown[]) => unknown, real) : value;
      }
      this.exports = exports;
    }
  }
  return { Module: NODE_WEBASSEMBLY.Module, Instance };
}

function firstMismatch(engine: WasmNamespaceLike, seeds = 40): Mismatch | null {
  for (let seed = 0; seed < seeds; seed++) {
    const module = generateModule(seed);
    const found = runDifferential(module.bytes, planCalls(module), ['fuel', ...module.globals], engine);
    if (found !== null) return found;
  }
  return null;
}

describe('trap kinds', () => {
  const v8 = (message: string) => outcomeOfError(new NodeRuntimeError(message));
  const flint = (message: string) => outcomeOfError(Object.assign(new Error(message), { name: 'RuntimeError' }));

  test('V8 messages map to the spec wording', () => {
    expect(outcomesAgree(v8('divide by zero'), flint('integer divide by zero'))).toBe(true);
    expect(outcomesAgree(v8('remainder by zero'), flint('integer divide by zero'))).toBe(true);
    expect(outcomesAgree(v8('float unrepresentable in integer range'), flint('integer overflow'))).toBe(true);
    expect(outcomesAgree(v8('null function or function signature mismatch'), flint('indirect call type mismatch'))).toBe(true);
    expect(outcomesAgree(v8('memory access out of bounds'), flint('out of bounds memory access'))).toBe(true);
  });

  test('different traps, or a trap against a return, disagree', () => {
    expect(outcomesAgree(v8('divide by zero'), flint('integer overflow'))).toBe(false);
    expect(outcomesAgree(v8('memory access out of bounds'), flint('undefined element'))).toBe(false);
    expect(outcomesAgree(v8('unreachable'), { kind: 'return', values: '1' })).toBe(false);
    expect(outcomesAgree(v8('some message V8 never used'), flint('some message V8 never used'))).toBe(false);
  });

  test('stack exhaustion compares as trapped, whatever the message', () => {
    const v8Stack = outcomeOfError(new RangeError('Maximum call stack size exceeded'));
    expect(outcomesAgree(v8Stack, flint(STACK_EXHAUSTED))).toBe(true);
    expect(outcomesAgree(v8Stack, flint('unreachable'))).toBe(false);
  });

  test('an exception that is not a trap never agrees', () => {
    const error = outcomeOfError(new TypeError('bad'));
    expect(error.kind).toBe('error');
    expect(outcomesAgree(error, error)).toBe(false);
  });
});

describe('runner', () => {
  test('V8 agrees with itself on every call', () => {
    expect(firstMismatch(NODE_WEBASSEMBLY, 30)).toBeNull();
  });

  test('a wrong result is an outcome mismatch', () => {
    const engine = sabotaged((fn) => (...args) => {
      const r = fn(...args);
      return typeof r === 'number' && !Number.isNaN(r) ? r + 1 : r;
    });
    const found = firstMismatch(engine);
    expect(found?.aspect).toBe('outcome');
    expect(found?.v8).toMatch(/^returned /);
  });

  test('a wrong trap kind is an outcome mismatch', () => {
    const engine = sabotaged((fn) => (...args) => {
      try {
        return fn(...args);
      } catch (error) {
        if (error instanceof Error && error.message === 'memory access out of bounds') throw new NodeRuntimeError('unreachable');
        throw error;
      }
    });
    const found = firstMismatch(engine, 100);
    expect(found).toMatchObject({ aspect: 'outcome', v8: 'trapped "v8:memory access out of bounds"', flint: 'trapped "v8:unreachable"' });
  });

  test('a stray memory write is a memory mismatch', () => {
    const engine = sabotaged((fn, exports) => (...args) => {
      try {
        return fn(...args);
      } finally {
        const bytes = new Uint8Array((exports['memory'] as { buffer: ArrayBuffer }).buffer);
        bytes[bytes.length - 1] ^= 0x80;
      }
    });
    expect(firstMismatch(engine)?.aspect).toBe('memory');
  });

  test('a global left wrong is a global mismatch', () => {
    const engine = sabotaged((fn, exports) => (...args) => {
      try {
        return fn(...args);
      } finally {
        (exports['fuel'] as { value: number }).value += 1;
      }
    });
    expect(firstMismatch(engine)).toMatchObject({ aspect: 'global', callIndex: 0 });
  });
});

describe('call plan coverage', () => {
  test('calls mostly return, and every trap kind the generator aims at occurs', () => {
    const outcomes = new Map<string, number>();
    let total = 0;
    for (let seed = 0; seed < 80; seed++) {
      const module = generateModule(seed);
      runDifferential(module.bytes, planCalls(module), [], NODE_WEBASSEMBLY, NODE_WEBASSEMBLY, (_call, outcome) => {
        const key = outcome.kind === 'trap' ? outcome.message : outcome.kind;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        total++;
      });
    }
    expect((outcomes.get('return') ?? 0) / total).toBeGreaterThan(0.4);
    for (const kind of [
      STACK_EXHAUSTED,
      'v8:unreachable',
      'v8:divide by zero',
      'v8:remainder by zero',
      'v8:divide result unrepresentable',
      'v8:float unrepresentable in integer range',
      'v8:memory access out of bounds',
      'v8:table index is out of bounds',
      'v8:null function or function signature mismatch',
    ]) {
      expect(outcomes.get(kind) ?? 0, kind).toBeGreaterThan(0);
    }
  });
});

describe('shrinker', () => {
  test('reduces a module-dependent failure to a small module that still fails', () => {
    // An engine that "fails to compile" any module using i64.popcnt.
    const engine: WasmNamespaceLike = {
      Module: class {
        constructor(bytes: Uint8Array) {
          if (operatorsOf(bytes).includes('i64.popcnt')) throw new Error('sabotaged i64.popcnt');
          return new NODE_WEBASSEMBLY.Module(bytes);
        }
      },
      Instance: NODE_WEBASSEMBLY.Instance,
    };
    let seed = 0;
    while (!operatorsOf(generateModule(seed).bytes).includes('i64.popcnt')) seed++;
    const failures = checkSeed(seed, engine);
    expect(failures.length).toBe(1);
    const failure = failures[0];
    expect(failure?.kind).toBe('mismatch');
    expect(failure!.signature).toMatch(/^compile: v8 ok \/ flint Error: sabotaged i64\.popcnt @ .*i64\.popcnt/);
    const shrunkOperators = failure!.signature.split(' @ ')[1]!.split(' ');
    const originalOperators = operatorsOf(generateModule(seed).bytes);
    expect(shrunkOperators.length).toBeLessThan(originalOperators.length);
    expect(failure!.report).toContain(`DIFF_SEED=${seed}`);
    expect(failure!.report).toContain('(module');
  });
});
