// Memory instructions: memarg alignment, memory indices, 64-bit addresses, offsets, bulk memory.
import { describe, expect, it } from 'vitest';
import { op } from '../src/testing/op.ts';
import { BODY_BASE, expectInvalid, expectValid, makeModule, memory } from './validate-helpers.ts';

const withMemory = (body: number[], memories = [memory(1)], extra: object = {}) =>
  makeModule({ types: [{ params: [], results: [] }], memories, funcs: [{ type: 0, body }], ...extra });

describe('loads and stores', () => {
  it('accepts natural and smaller alignment', () => {
    expectValid(withMemory([...op('i32.const', 0), ...op('i64.load', { align: 3 }), ...op('drop'), ...op('i32.const', 0), ...op('i64.load', { align: 0 }), ...op('drop'), ...op('end')]));
  });

  it('rejects alignment larger than natural', () => {
    const e = expectInvalid(withMemory([...op('i32.const', 0), ...op('i32.load8_u', { align: 1 }), ...op('drop'), ...op('end')]), 'alignment must not be larger than natural', BODY_BASE + 2);
    expect(e.message).toContain('i32.load8_u');
  });

  it('rejects a memory operator without a memory', () => {
    expectInvalid(withMemory([...op('i32.const', 0), ...op('i32.load'), ...op('drop'), ...op('end')], []), 'unknown memory 0', BODY_BASE + 2);
  });

  it('types the address by the memory address type (memory64)', () => {
    expectValid(withMemory([...op('i64.const', 0), ...op('i32.load'), ...op('drop'), ...op('end')], [memory(1, null, 'i64')]));
    expectInvalid(withMemory([...op('i32.const', 0), ...op('i32.load'), ...op('drop'), ...op('end')], [memory(1, null, 'i64')]), 'type mismatch', BODY_BASE + 2);
  });

  it('rejects an offset beyond 2^32-1 on a 32-bit memory, but not on a 64-bit one', () => {
    const load = (addr: number[]) => [...addr, ...op('i32.load', { offset: 0x1_0000_0000 }), ...op('drop'), ...op('end')];
    expectInvalid(withMemory(load(op('i32.const', 0))), 'offset out of range', BODY_BASE + 2);
    expectValid(withMemory(load(op('i64.const', 0)), [memory(1, null, 'i64')]));
  });

  it('resolves multiple memories by index', () => {
    const body = [...op('i32.const', 0), ...op('i64.const', 0), ...op('i64.store', { memory: 1 }), ...op('end')];
    expectValid(withMemory(body, [memory(1), memory(1)]));
    expectInvalid(withMemory(body, [memory(1)]), 'unknown memory 1', BODY_BASE + 4);
  });
});

describe('memory.size, memory.grow, bulk memory', () => {
  it('memory.grow takes and returns the address type', () => {
    expectValid(withMemory([...op('i64.const', 1), ...op('memory.grow', 0), ...op('drop'), ...op('end')], [memory(1, null, 'i64')]));
    expectInvalid(withMemory([...op('i64.const', 1), ...op('memory.grow', 0), ...op('drop'), ...op('end')]), 'type mismatch', BODY_BASE + 2);
  });

  it('memory.copy between i32 and i64 memories takes an i32 length', () => {
    const body = [...op('i64.const', 0), ...op('i32.const', 0), ...op('i32.const', 0), ...op('memory.copy', 0, 1), ...op('end')];
    expectValid(withMemory(body, [memory(1, null, 'i64'), memory(1)]));
  });

  it('memory.init and data.drop need the data count section', () => {
    const body = [...op('i32.const', 0), ...op('i32.const', 0), ...op('i32.const', 0), ...op('memory.init', 0, 0), ...op('end')];
    const datas = [{ mode: 'passive' as const }];
    expectValid(withMemory(body, [memory(1)], { datas, dataCount: 1 }));
    expectInvalid(withMemory(body, [memory(1)], { datas }), 'data count section required', BODY_BASE + 6);
    expectInvalid(withMemory([...op('data.drop', 1), ...op('end')], [memory(1)], { datas, dataCount: 1 }), 'unknown data segment 1', BODY_BASE);
  });

  it('memory.fill checks value and length types', () => {
    expectValid(withMemory([...op('i32.const', 0), ...op('i32.const', 0), ...op('i32.const', 0), ...op('memory.fill', 0), ...op('end')]));
    expectInvalid(withMemory([...op('i32.const', 0), ...op('i64.const', 0), ...op('i32.const', 0), ...op('memory.fill', 0), ...op('end')]), 'type mismatch');
  });
});

describe('atomics', () => {
  it('requires atomic alignment to equal natural', () => {
    expectValid(withMemory([...op('i32.const', 0), ...op('i32.atomic.load', { align: 2 }), ...op('drop'), ...op('end')]));
    expectInvalid(withMemory([...op('i32.const', 0), ...op('i32.atomic.load', { align: 1 }), ...op('drop'), ...op('end')]), 'alignment must be equal to natural', BODY_BASE + 2);
  });
});
