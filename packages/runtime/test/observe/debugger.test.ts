// The debugger: breakpoints in a loop and in recursion, stepping over, into and out of calls,
// locals and operand stacks of every value type, on every tier that makes debug code, eager and
// lazy. The expectations follow from the programs (debug-scenarios.ts): the values each pause must
// show, and the operators a step must reach, in program order. arm64: debugger-arm64.test.ts.
import { describe, expect, it } from 'vitest';
import { hostRunsX64 } from '@flint/test-support';
import { Engine, WebAssembly, registeredTiers, type CodeEvent } from '../../src/index.ts';
import { debugModule, offsetOf, runDebugScenarios, type ScenarioTrace } from '../helpers/debug-scenarios.ts';

/** These tests run generated x86-64 code here (skipped elsewhere; a failure under FLINT_REQUIRE_ENV=1). */
const isX64 = hostRunsX64();
const configurations = registeredTiers().flatMap((tier) => [false, true].map((lazy) => ({ tier: tier.name, lazy })));

describe.skipIf(!isX64)('debugger (x86-64 Linux host; arm64: debugger-arm64.test.ts)', () => {
  for (const options of configurations) {
    describe(`${options.tier}${options.lazy ? ' lazy' : ''}`, () => {
      const engine = new Engine({ compileWorkers: 0 });
      const traces = new Map<string, ScenarioTrace>(runDebugScenarios(engine, WebAssembly, options).map((trace) => [trace.name, trace]));
      const { bytes, index } = debugModule();
      const module = engine.compile(bytes, options);
      const offsets = (f: number) => engine.debugger().operatorOffsets(module, f);
      const at = (f: number, name: string, nth = 0) => offsetOf(engine, module, f, name, nth);
      const i32 = (n: number) => `i32:${n}`;

      it('a breakpoint in a loop stops once per iteration with that iteration’s locals and operands; cleared, it stops no more', () => {
        const trace = traces.get('breakpoint in a loop, then cleared')!;
        expect(trace.result).toBe('6 6'); // Σ [0, 4), with the breakpoint and after clearing it
        expect(trace.pauses).toHaveLength(4);
        trace.pauses.forEach((pause, i) => {
          const acc = (i * (i - 1)) / 2;
          expect(pause).toEqual({ reason: 'breakpoint', frames: [{ fn: 'sum', offset: at(index.sum, 'i32.add'), locals: [i32(4), i32(i), i32(acc)], stack: [i32(acc), i32(i)] }] });
        });
      });

      it('a breakpoint in recursion sees every frame of the recursion with its own n', () => {
        const trace = traces.get('breakpoint in recursion')!;
        expect(trace.result).toBe('120');
        expect(trace.pauses).toHaveLength(1);
        const [pause] = trace.pauses;
        expect(pause!.frames.map((f) => [f.fn, f.offset, f.locals])).toEqual([
          ['fact', at(index.fact, 'i64.const'), ['i64:0']],
          ...[1, 2, 3, 4, 5].map((n) => ['fact', at(index.fact, 'call'), [`i64:${n}`]]),
        ]);
        expect(pause!.frames[0]!.stack).toEqual([]);
        expect(pause!.frames.slice(1).every((f) => f.stack === null)).toBe(true);
      });

      it('step over walks the loop body operator by operator, back to the loop start, to the breakpoint again', () => {
        const trace = traces.get('step over through a loop iteration')!;
        expect(trace.result).toBe('3');
        const body = offsets(index.sum);
        const loopStart = body.indexOf(at(index.sum, 'loop'));
        const setAt = body.indexOf(at(index.sum, 'local.set'));
        const brIf = body.indexOf(at(index.sum, 'br_if'));
        // From local.set to br_if, then the first operator of the loop body, up to local.set again.
        const expected = [...body.slice(setAt, brIf + 1), ...body.slice(loopStart + 1, setAt + 1)];
        expect(trace.pauses.map((p) => p.frames[0]!.offset)).toEqual([...expected, at(index.sum, 'local.set')]);
        expect(trace.pauses.map((p) => p.reason)).toEqual(['breakpoint', ...expected.slice(1).map(() => 'step'), 'breakpoint']);
        // i = 0 until local.tee stores 1; the last stop is the next iteration's breakpoint (i = 1 → 2).
        const teeAt = expected.indexOf(at(index.sum, 'local.tee'));
        expect(trace.pauses.map((p) => p.frames[0]!.locals![1])).toEqual([...expected.map((_o, k) => i32(k > teeAt ? 1 : 0)), i32(2)]);
      });

      it('step into enters the callee at its first operator; step out returns after the call with its result', () => {
        const trace = traces.get('step into a call and out of it')!;
        expect(trace.result).toBe('2'); // sum(2) + 1
        const call = at(index.main, 'call');
        expect(trace.pauses.map((p) => p.frames.map((f) => [f.fn, f.offset]))).toEqual([
          [['main', call]],
          [['sum', offsets(index.sum)[0]], ['main', call]],
          [['sum', offsets(index.sum)[1]], ['main', call]],
          [['sum', offsets(index.sum)[2]], ['main', call]],
          [['main', at(index.main, 'i32.const')]],
        ]);
        expect(trace.pauses.at(-1)!.frames[0]!.stack).toEqual([i32(1)]); // sum(2) = 1 on main's operand stack
      });

      it('step over a call stops after it, in the same frame', () => {
        const trace = traces.get('step over a call')!;
        expect(trace.result).toBe('4');
        expect(trace.pauses.map((p) => [p.frames.length, p.frames[0]!.offset, p.frames[0]!.stack])).toEqual([
          [1, at(index.main, 'call'), [i32(3)]],
          [1, at(index.main, 'i32.const'), [i32(3)]],
          [1, at(index.main, 'i32.add'), [i32(3), i32(1)]],
        ]);
      });

      it('reads locals and operands of every value type', () => {
        const trace = traces.get('locals of every type')!;
        expect(trace.result).toBe(String(1.5 + -7 + 0.25));
        expect(trace.pauses[0]!.frames[0]!.locals).toEqual(['f64:1.5', 'i64:-7', 'f32:0.25', 'f64:3']);
        expect(trace.pauses[0]!.frames[0]!.stack).toEqual([`f64:${1.5 - 7}`, 'f64:0.25']);
      });

      it.skipIf(!traces.has('v128 locals and operands (16-byte slots)'))('reads v128 locals and operands, and the other values of a module with 16-byte slots (skipped where this CPU cannot run SIMD code, e.g. FLINT_X64_FEATURES=sse2)', () => {
        const trace = traces.get('v128 locals and operands (16-byte slots)')!;
        expect(trace.result).toBe('10');
        const splat5 = `v128:${5n | (5n << 32n) | (5n << 64n) | (5n << 96n)}`;
        expect(trace.pauses[0]!.frames[0]!.locals).toEqual(['i32:5', 'f64:2.5', splat5]);
        expect(trace.pauses[0]!.frames[0]!.stack).toEqual([splat5, splat5]);
      });
    });
  }

  it('gives debug code to the function with the breakpoint only; the others keep their code', () => {
    const events: CodeEvent[] = [];
    const engine = new Engine({ compileWorkers: 0, onCode: (event) => events.push(event) });
    const { bytes, index } = debugModule();
    const module = engine.compile(bytes);
    const before = events.length;
    const breakpoint = engine.debugger().setBreakpoint(module, index.fact, offsetOf(engine, module, index.fact, 'i64.const'));
    const created = events.slice(before).filter((e) => e.type === 'create' && e.code.script === module.script);
    expect(created.map((e) => [e.code.funcIndex, e.code.tier])).toEqual([[index.fact, 'baseline debug']]);
    engine.debugger().clearBreakpoint(breakpoint);
  });

  it('moves a breakpoint inside an operator’s immediates to the next operator, and refuses offsets past the function', () => {
    const engine = new Engine({ compileWorkers: 0 });
    const { bytes, index } = debugModule();
    const module = engine.compile(bytes);
    const dbg = engine.debugger();
    const constAt = offsetOf(engine, module, index.fact, 'i64.const');
    const breakpoint = dbg.setBreakpoint(module, index.fact, constAt + 1);
    expect(breakpoint.offset).toBe(offsetOf(engine, module, index.fact, 'else'));
    dbg.clearBreakpoint(breakpoint);
    expect(() => dbg.setBreakpoint(module, index.fact, 0xffff)).toThrow(RangeError);
    expect(() => dbg.setBreakpoint(module, 99, 0)).toThrow(/not defined/);
  });

  // A function that dynamic tiering moved to optimized code drops back to debug code when it
  // gets a breakpoint, and pauses as baseline code would: the loop scenario after tier-up.
  const tiering = registeredTiers().find((tier) => tier.tierUpTo !== undefined);
  it.skipIf(tiering === undefined)('a breakpoint after tier-up drops the function back to debug code (skipped: no tier tiers up)', () => {
    const engine = new Engine({ compileWorkers: 0 });
    const { bytes, index } = debugModule();
    const module = engine.compile(bytes, { tier: tiering!.name });
    const sum = new WebAssembly.Instance(WebAssembly.Module.fromCompiled(module), {}).exports['sum'] as (n: number) => number;
    engine.tierUpNow(module, index.sum);
    expect(module.tiering!.isOptimized(index.sum)).toBe(true);
    expect(sum(4)).toBe(6);
    const pauses: { offset: number; locals: unknown }[] = [];
    const dbg = engine.debugger({
      onPause: (state) => {
        pauses.push({ offset: state.frames[0]!.offset, locals: state.frames[0]!.locals?.map((v) => v.value) });
        return 'continue';
      },
    });
    const addAt = offsetOf(engine, module, index.sum, 'i32.add');
    const breakpoint = dbg.setBreakpoint(module, index.sum, addAt);
    expect(sum(4)).toBe(6);
    expect(pauses).toEqual([0, 1, 2, 3].map((i) => ({ offset: addAt, locals: [4, i, ((i * (i - 1)) / 2) | 0] })));
    dbg.clearBreakpoint(breakpoint);
    expect(sum(4)).toBe(6);
    expect(pauses).toHaveLength(4);
  });
});
