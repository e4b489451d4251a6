// The README's example, run as written. This package may not depend on an ISA, so the backend
// here has none: translation works, and compiling bails out as the runtime expects it to.
import { BackendBailout, type Backend } from '@flint/backend';
import { decodeModule, validateModule } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';
import { ValType } from '@flint/decoder';
import { expect, it } from 'vitest';
import { OptimizingCompiler, createOptimizingStats } from '../src/index.ts';
import { NO_ISA } from './helpers.ts';

function compileAll(bytes: Uint8Array, backend: Backend) {
  const module = decodeModule(bytes);
  validateModule(module);
  const compiler = new OptimizingCompiler(backend);
  const stats = createOptimizingStats();
  const code = module.codes.map((body) => compiler.compile({ module, body }, { stats }));
  return { code, stats };
}

it('compiles through the backend it is given; without an ISA, a bailout the runtime falls back on', () => {
  const b = new ModuleBuilder();
  const t = b.addType({ params: [ValType.I32], results: [ValType.I32] });
  b.addFunction(t, [], [...op('local.get', 0), ...op('i32.const', 2), ...op('i32.mul'), ...op('end')]);
  const bytes = b.toBytes();
  expect(() => compileAll(bytes, NO_ISA as unknown as Backend)).toThrow(BackendBailout);
  const module = decodeModule(bytes);
  const fn = new OptimizingCompiler(NO_ISA).translate({ module, body: module.codes[0]! });
  expect(fn.blockCount).toBeGreaterThan(0);
  expect(fn.instCount).toBeGreaterThanOrEqual(3); // the constant, the multiply, the return
});
