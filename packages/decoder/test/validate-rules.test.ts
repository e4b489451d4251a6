// The validator covers the whole opcode table: every operator is typed either from its table
// signature or by one handler, never both, so adding a row cannot leave an operator unvalidated.
import { describe, expect, it } from 'vitest';
import { OPERATORS } from '../src/opcodes.ts';
import { HANDLERS } from '../src/validate/handlers.ts';
import { SIGNATURES } from '../src/validate/signatures.ts';

describe('validation rules cover the opcode table', () => {
  it('gives every operator without a signature a handler', () => {
    const missing = OPERATORS.filter((o) => o.signature === null && HANDLERS[o.id] === undefined).map((o) => o.name);
    expect(missing).toEqual([]);
  });

  it('never overrides a table signature with a handler', () => {
    const both = OPERATORS.filter((o) => o.signature !== null && HANDLERS[o.id] !== undefined).map((o) => o.name);
    expect(both).toEqual([]);
  });

  it('parses each signature into the flat arrays (i32.add: [i32 i32] -> [i32])', () => {
    const add = OPERATORS.find((o) => o.name === 'i32.add')!;
    const start = SIGNATURES.paramStart[add.id]!;
    expect(Array.from(SIGNATURES.types.subarray(start, start + SIGNATURES.paramCount[add.id]!))).toEqual([0x7f, 0x7f]);
    expect(SIGNATURES.resultCount[add.id]).toBe(1);
  });
});
