// Fuel metering in the baseline compiler (src/fuel.ts): each straight-line run's cost is charged
// once, before the operator that ends it, and nothing is charged without `fuel: true`.
import { describe, expect, it } from 'vitest';
import { BaselineCompiler } from '../src/index.ts';
import { I32, oneFunction, op } from './helpers.ts';
import { RecordingBackend } from './recording-masm.ts';

function compile(m: { module: ReturnType<typeof oneFunction>['module'] }, fuel: boolean): string[] {
  const backend = new RecordingBackend();
  const body = m.module.codes[m.module.codes.length - 1]!;
  new BaselineCompiler(backend).compile({ module: m.module, body }, { fuel });
  return backend.last.log;
}

const charges = (log: string[]): string[] => log.filter((line) => line.startsWith('consumeFuel'));

describe('fuel metering', () => {
  // (local.set 1 (i32.add (local.get 0) (i32.const 1))) (loop (br_if 0 (local.get 0))) (local.get 1)
  const body = [
    ...op('local.get', 0), ...op('i32.const', 1), ...op('i32.add'), ...op('local.set', 1),
    ...op('loop'), ...op('local.get', 0), ...op('br_if', 0), ...op('end'),
    ...op('local.get', 1), ...op('end'),
  ];
  const m = oneFunction([I32], [I32], [I32], body);

  it('is not compiled in unless asked for', () => {
    expect(charges(compile(m, false))).toEqual([]);
  });

  it('charges each run before the operator that ends it: the loop header, the branch, the end', () => {
    const log = compile(m, true);
    // 4 before `loop` (which costs 0), 2 for the loop body with its br_if, 1 after the loop.
    expect(charges(log)).toEqual(['consumeFuel 4', 'consumeFuel 2', 'consumeFuel 1']);
    const [beforeLoop, inLoop] = [log.indexOf('consumeFuel 4'), log.indexOf('consumeFuel 2')];
    const header = log.findIndex((line, i) => i > beforeLoop && /^L\d+:$/.test(line));
    expect(beforeLoop).toBeLessThan(header); // charged once, outside the loop
    expect(inLoop).toBeGreaterThan(header);
    expect(log.slice(inLoop + 1).some((line) => line.startsWith('branch'))).toBe(true);
    expect(log.slice(inLoop + 1).findIndex((line) => line.startsWith('branch'))).toBeLessThan(log.slice(inLoop + 1).findIndex((line) => line === 'consumeFuel 1'));
  });

  it('charges before a call, and nothing for code after an unconditional branch', () => {
    // (call 0 (i32.const 7)) (drop) (return (i32.const 1)) (i32.const 2) (drop) … unreachable
    const calls = oneFunction([I32], [I32], [], [...op('i32.const', 7), ...op('call', 0), ...op('drop'), ...op('i32.const', 1), ...op('return'), ...op('i32.const', 2), ...op('drop'), ...op('i32.const', 3), ...op('end')]);
    const log = compile(calls, true);
    expect(charges(log)).toEqual(['consumeFuel 2', 'consumeFuel 1']);
    const charge = log.indexOf('consumeFuel 2');
    expect(log.slice(charge).findIndex((line) => line.startsWith('call'))).toBeGreaterThan(0);
  });
});
