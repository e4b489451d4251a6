// The executing engines' assertion semantics (run-execution.ts over the execution tests'
// WastRunner), run in this process on the host's backend with small scripts whose expected
// outcomes follow from the spec text of each command.
import { describe, expect, it } from 'vitest';
import type { ExecutionTarget } from '../src/engine.ts';
import { CUSTOM_ANNOTATIONS } from '../src/run-script.ts';
import { runScriptText } from '../src/run-execution.ts';
import { ENGINES } from '../src/engines/index.ts';
import { registeredBackends, registeredTiers } from '@flint/runtime';

const onHost = process.arch === 'x64' && process.platform === 'linux';
const target = (lazy = false): ExecutionTarget => ({ backend: 'x64', tier: 'baseline', lazy, skippedGroups: new Map([['proposals/skipped', 'proposal not supported: skipped']]) });
const run = (source: string, group = 'core', lazy = false) =>
  runScriptText(source, { file: 'synthetic.wast', absolutePath: '/nonexistent/synthetic.wast', group }, target(lazy), 'baseline-x64');

const ADD = `(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
  (func (export "bits") (result f64) (f64.const -0x1p-1074))
  (global (export "g") i64 (i64.const -7)))`;

describe.skipIf(!onHost)('executing engine on the host backend', () => {
  for (const lazy of [false, true]) {
    it(`passes and fails assert_return on the computed values (lazy: ${lazy})`, () => {
      const result = run(
        `${ADD}
(assert_return (invoke "add" (i32.const 0x7fffffff) (i32.const 1)) (i32.const 0x80000000))
(assert_return (invoke "add" (i32.const 2) (i32.const 2)) (i32.const 5))
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (invoke "bits") (f64.const -0x1p-1074))
(assert_return (invoke "bits") (f64.const 0x1p-1074))
(assert_return (get "g") (i64.const -7))`,
        'core',
        lazy,
      );
      expect(result.kinds.module).toMatchObject({ passed: 1, failed: 0 });
      expect(result.kinds.assert_return).toMatchObject({ passed: 4, failed: 2, passedLines: [7, 9, 10, 12] });
      expect(result.failures.map((f) => [f.line, f.kind, f.cause])).toEqual([
        [8, 'assert_return', 'engine'],
        [11, 'assert_return', 'engine'],
      ]);
      expect(result.failures[0]!.actual).toContain('expected i32 5');
    });
  }

  it('matches trap messages leniently and fails a call that does not trap', () => {
    const result = run(`${ADD}
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "div" (i32.const 4) (i32.const 2)) "integer divide by zero")`);
    expect(result.kinds.assert_trap).toMatchObject({ passed: 2, failed: 2, passedLines: [7, 8] });
    expect(result.failures.map((f) => f.line)).toEqual([9, 10]);
  });

  it('checks instantiation: link errors, start-function traps, registered imports', () => {
    const result = run(`(module (func (export "f") (result i32) (i32.const 42)))
(register "m")
(module (import "m" "f" (func $f (result i32))) (func (export "g") (result i32) (call $f)))
(assert_return (invoke "g") (i32.const 42))
(assert_unlinkable (module (import "m" "missing" (func))) "unknown import")
(assert_uninstantiable (module (func $boom unreachable) (start $boom)) "unreachable")
(assert_unlinkable (module (func)) "unknown import")`);
    expect(result.kinds.register).toMatchObject({ passed: 1 });
    expect(result.kinds.assert_return).toMatchObject({ passed: 1, passedLines: [4] });
    expect(result.kinds.assert_unlinkable).toMatchObject({ passed: 1, failed: 1, passedLines: [5] });
    expect(result.kinds.assert_uninstantiable).toMatchObject({ passed: 1, passedLines: [6] });
  });

  it('skips every assertion on a module the runtime reports unsupported, naming the proposal', () => {
    const result = run(`(module (func (export "v") (result i32) (i32x4.extract_lane 0 (v128.const i64x2 0 0))))
(assert_return (invoke "v") (i32.const 0))`);
    expect(result.failures).toEqual([]);
    expect(result.kinds.module?.skips).toEqual({ 'proposal not supported: simd': [1] });
    expect(result.kinds.assert_return?.skips).toEqual({ 'proposal not supported: simd': [2] });
  });

  it('judges invalid and malformed modules, blames the text parser for text it cannot read, and skips annotation checks', () => {
    const result = run(`(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_invalid (module (func (result i32) (i32.const 0))) "type mismatch")
(assert_malformed (module binary "\\00asm\\02\\00\\00\\00") "unknown binary version")
(module (func (no.such.operator)))
(assert_malformed_custom (module quote "(module)") "anything")`);
    expect(result.kinds.assert_invalid).toMatchObject({ passed: 1, failed: 1, passedLines: [1] });
    expect(result.kinds['assert_malformed:binary']).toMatchObject({ passed: 1 });
    expect(result.failures.map((f) => [f.line, f.cause])).toEqual([
      [2, 'engine'],
      [4, 'parser'],
    ]);
    expect(result.kinds.assert_malformed_custom?.skips).toEqual({ [CUSTOM_ANNOTATIONS]: [5] });
  });

  it('skips a whole group the engine cannot decode, and reports a script that does not parse', () => {
    const skipped = run(`${ADD}\n(assert_return (invoke "add" (i32.const 1) (i32.const 1)) (i32.const 2))`, 'proposals/skipped');
    expect(skipped.kinds.module?.skips).toEqual({ 'proposal not supported: skipped': [1] });
    expect(skipped.kinds.assert_return?.skips).toEqual({ 'proposal not supported: skipped': [7] });
    expect(run('(module').scriptParseError).toMatch(/./);
  });
});

describe('executing engine configurations', () => {
  it('exist for every registered tier × backend, eager and lazy, and skip the custom-page-sizes group until the runtime decodes it', () => {
    for (const backend of registeredBackends()) {
      for (const tier of registeredTiers()) {
        for (const lazy of [false, true]) {
          const engine = ENGINES.get(`${tier.name}-${backend.name}${lazy ? '-lazy' : ''}`);
          expect(engine?.execution).toMatchObject({ backend: backend.name, tier: tier.name, lazy });
          expect(engine?.execution?.skippedGroups.has('proposals/custom-page-sizes')).toBe(true);
        }
      }
    }
    const capped = registeredBackends().filter((backend) => backend.isa.cpuFeatureCap !== null).length * registeredTiers().length;
    expect([...ENGINES.values()].filter((engine) => engine.execution !== undefined)).toHaveLength(registeredBackends().length * registeredTiers().length * 2 + capped);
  });

  it('exist once more per tier, eagerly, for every backend whose CPU features can be capped, with the cap at its baseline', () => {
    for (const backend of registeredBackends()) {
      const cap = backend.isa.cpuFeatureCap;
      if (cap === null) continue;
      for (const tier of registeredTiers()) {
        const engine = ENGINES.get(`${tier.name}-${backend.name}-${cap.baseline}`);
        expect(engine?.execution).toMatchObject({ backend: backend.name, tier: tier.name, lazy: false, env: { [cap.variable]: cap.baseline } });
      }
    }
  });
});
