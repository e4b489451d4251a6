// Locals (including the initialization rule for non-defaultable locals) and globals.
import { describe, expect, it } from 'vitest';
import { op } from '../src/testing/op.ts';
import { HeapType, ValType, refType } from '../src/types.ts';
import { BODY_BASE, expectInvalid, expectValid, makeModule } from './validate-helpers.ts';

const { I32, I64 } = ValType;
const I31_NON_NULL = refType(false, HeapType.I31);

describe('locals', () => {
  it('types parameters and declared locals by index', () => {
    const m = makeModule({
      types: [{ params: [I32], results: [I64] }],
      funcs: [{ type: 0, locals: [{ count: 2, type: I64 }], body: [...op('local.get', 2), ...op('local.get', 0), ...op('local.set', 0), ...op('end')] }],
    });
    expectValid(m);
  });

  it('rejects an unknown local', () => {
    const m = makeModule({ types: [{ params: [I32], results: [] }], funcs: [{ type: 0, body: [...op('local.get', 1), ...op('drop'), ...op('end')] }] });
    expect(expectInvalid(m, 'unknown local', BODY_BASE).message).toContain('local 1');
  });

  it('local.tee returns the local type and local.set checks it', () => {
    const good = makeModule({ types: [{ params: [], results: [I32] }], funcs: [{ type: 0, locals: [{ count: 1, type: I32 }], body: [...op('i32.const', 1), ...op('local.tee', 0), ...op('end')] }] });
    expectValid(good);
    const bad = makeModule({ types: [{ params: [], results: [] }], funcs: [{ type: 0, locals: [{ count: 1, type: I32 }], body: [...op('i64.const', 1), ...op('local.set', 0), ...op('end')] }] });
    expectInvalid(bad, 'type mismatch', BODY_BASE + 2);
  });

  it('rejects reading a non-defaultable local before it is set', () => {
    const m = makeModule({ types: [{ params: [], results: [] }], funcs: [{ type: 0, locals: [{ count: 1, type: I31_NON_NULL }], body: [...op('local.get', 0), ...op('drop'), ...op('end')] }] });
    expectInvalid(m, 'uninitialized local', BODY_BASE);
  });

  it('accepts a read after the local is set in the same block', () => {
    const body = [...op('i32.const', 0), ...op('ref.i31'), ...op('local.set', 0), ...op('local.get', 0), ...op('drop'), ...op('end')];
    expectValid(makeModule({ types: [{ params: [], results: [] }], funcs: [{ type: 0, locals: [{ count: 1, type: I31_NON_NULL }], body }] }));
  });

  it('forgets initialization at the end of the block that set the local', () => {
    const inner = [...op('block'), ...op('i32.const', 0), ...op('ref.i31'), ...op('local.set', 0), ...op('end')];
    const body = [...inner, ...op('local.get', 0), ...op('drop'), ...op('end')];
    expectInvalid(makeModule({ types: [{ params: [], results: [] }], funcs: [{ type: 0, locals: [{ count: 1, type: I31_NON_NULL }], body }] }), 'uninitialized local', BODY_BASE + inner.length);
  });
});

describe('globals', () => {
  const globals = [
    { type: { type: I32, mutable: false }, init: [...op('i32.const', 1), ...op('end')] },
    { type: { type: I64, mutable: true }, init: [...op('i64.const', 1), ...op('end')] },
  ];

  it('reads any global and writes mutable ones', () => {
    const body = [...op('global.get', 1), ...op('global.set', 1), ...op('global.get', 0), ...op('drop'), ...op('end')];
    expectValid(makeModule({ types: [{ params: [], results: [] }], globals, funcs: [{ type: 0, body }] }));
  });

  it('rejects global.set of an immutable global', () => {
    const body = [...op('i32.const', 1), ...op('global.set', 0), ...op('end')];
    expectInvalid(makeModule({ types: [{ params: [], results: [] }], globals, funcs: [{ type: 0, body }] }), 'immutable global', BODY_BASE + 2);
  });

  it('rejects an unknown global', () => {
    const body = [...op('global.get', 2), ...op('drop'), ...op('end')];
    expectInvalid(makeModule({ types: [{ params: [], results: [] }], globals, funcs: [{ type: 0, body }] }), 'unknown global', BODY_BASE);
  });
});
