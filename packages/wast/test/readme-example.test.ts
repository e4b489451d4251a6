// The README's example, run as written.
import { parseWast } from '@flint/text';
import { expect, it } from 'vitest';
import { hostRunsX64 } from '@flint/test-support';
import { WastRunner } from '../src/index.ts';

it.skipIf(!hostRunsX64())('README example (runs generated code: needs an x86-64 Linux host)', () => {
  const script = parseWast(
    `
  (module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
  (assert_return (invoke "add" (i32.const 2) (i32.const 2)) (i32.const 4))
  (assert_trap (invoke "add" (i32.const 1) (i32.const 1)) "unreachable")
`,
    'example.wast',
  );
  const lines = new WastRunner({ tier: 'baseline' }).run(script).map((o) => [o.line, o.command, o.status, o.message].join(' ').trim());
  expect(lines).toEqual(['2 module pass', '3 assert_return pass', '4 assert_trap fail expected a failure, but it succeeded with 2']);
});
