// The README's example must keep working: its module bytes are read from the README itself.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostRunsX64 } from '@flint/test-support';
import { WebAssembly } from '../src/index.ts';

/** These tests run generated x86-64 code here (skipped elsewhere; a failure under FLINT_REQUIRE_ENV=1). */
const isX64 = hostRunsX64();

describe.skipIf(!isX64)('README example (runs generated code: needs an x86-64 Linux host)', () => {
  it('compiles, instantiates and calls add(40, 2)', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const literal = /new Uint8Array\(\[([\s\S]*?)\]\)/.exec(readme)?.[1];
    expect(literal).toBeDefined();
    const bytes = new Uint8Array(literal!.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => Number(s)));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    expect((instance.exports['add'] as (a: number, b: number) => number)(40, 2)).toBe(42);
  });
});
