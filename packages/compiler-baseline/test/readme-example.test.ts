// The README's example, run as written (with the recording backend standing in for the runtime's).
import type { Backend } from '@flint/backend';
import { decodeModule, validateModule } from '@flint/decoder';
import { ModuleBuilder } from '@flint/decoder/testing';
import { expect, it } from 'vitest';
import { BaselineCompiler, createCompileStats } from '../src/index.ts';
import { I32, op } from './helpers.ts';
import { RecordingBackend } from './recording-masm.ts';

function compileAll(bytes: Uint8Array, backend: Backend) {
  const module = decodeModule(bytes);
  validateModule(module);
  const compiler = new BaselineCompiler(backend); // one per thread, reused for every function
  const stats = createCompileStats();
  const code = module.codes.map((body) => compiler.compile({ module, body }, { stats }));
  return { code, stats };
}

it('compiles every function of a module and counts them', () => {
  const b = new ModuleBuilder();
  const t = b.addType({ params: [I32], results: [I32] });
  b.addFunction(t, [], [...op('local.get', 0), ...op('end')]);
  b.addFunction(t, [], [...op('local.get', 0), ...op('call', 0), ...op('end')]);
  const { code, stats } = compileAll(b.toBytes(), new RecordingBackend() as unknown as Backend);
  expect(code).toHaveLength(2);
  expect(stats.functions).toBe(2);
  expect(stats.bodyBytes).toBe(3 + 5);
});
