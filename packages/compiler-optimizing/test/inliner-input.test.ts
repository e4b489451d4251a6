// What the tier may assume about its input: the body to compile comes with the call, and the
// module may hold no bodies at all — a compile worker's module does not (bodies arrive in
// batches, compile-worker.ts in the runtime). Callees are inlined only where the module has them.
import { describe, expect, it } from 'vitest';
import { OptimizingCompiler } from '../src/compiler.ts';
import { printFunction } from '../src/ir/printer.ts';
import { NO_ISA } from './helpers.ts';
import { assembleFixture } from './wasm-fixture.ts';

const CALLER_AND_LEAF = `
func (i32) -> (i32)
  local.get 0
  call 1
end
func (i32) -> (i32)
  local.get 0
  i32.const 1
  i32.add
end
`;

describe('the optimizing tier without the module bodies', () => {
  const { module } = assembleFixture(CALLER_AND_LEAF);
  const body = module.codes[0]!;

  it('inlines the small leaf when the module holds it', () => {
    const ir = printFunction(new OptimizingCompiler(NO_ISA).translate({ module, body }));
    expect(ir).not.toMatch(/\bcall\b/);
  });

  it('translates the function given, calling the leaf, when the module holds no bodies', () => {
    const bodiless = { ...module, codes: [] };
    const ir = printFunction(new OptimizingCompiler(NO_ISA).translate({ module: bodiless, body }));
    expect(ir).toMatch(/\bcall\b/);
  });
});
