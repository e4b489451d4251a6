// Implementation limits are enforced while decoding, from the count alone, with a message
// that names the limit.
import { describe, expect, it } from 'vitest';
import { CompileError, ImplementationLimits as L, decodeModule } from '../src/index.ts';
import { ModuleBuilder, op, uleb } from '../src/testing/index.ts';

function errorOf(bytes: Uint8Array): CompileError {
  try {
    decodeModule(bytes);
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error('expected a CompileError');
}

/** A section holding only a count (one past `limit`), and padding so the count is not the last byte. */
const overCount = (id: number, limit: number) => new ModuleBuilder().addRawSection(id, [...uleb(limit + 1), 0x00]).toBytes();

describe('implementation limits', () => {
  it.each([
    ['types', 1, L.maxTypes],
    ['imports', 2, L.maxImports],
    ['functions', 3, L.maxFunctions],
    ['tables', 4, L.maxTables],
    ['memories', 5, L.maxMemories],
    ['globals', 6, L.maxGlobals],
    ['exports', 7, L.maxExports],
    ['element segments', 9, L.maxElementSegments],
    ['data segments', 11, L.maxDataSegments],
    ['tags', 13, L.maxTags],
  ] as const)('rejects more than the limit of %s', (what, id, limit) => {
    const e = errorOf(overCount(id, limit));
    expect(e.message).toMatch(new RegExp(`^too many ${what}: ${limit + 1} declared, the limit is ${limit}`));
  });

  it('limits results, struct fields and recursion group sizes', () => {
    const results = new ModuleBuilder().addRawSection(1, [0x01, 0x60, 0x00, ...uleb(L.maxReturns + 1)]).toBytes();
    expect(errorOf(results).message).toMatch(/^too many results/);
    const fields = new ModuleBuilder().addRawSection(1, [0x01, 0x5f, ...uleb(L.maxStructFields + 1)]).toBytes();
    expect(errorOf(fields).message).toMatch(/^too many struct fields/);
    const group = new ModuleBuilder().addRawSection(1, [0x01, 0x4e, ...uleb(L.maxRecGroupSize + 1)]).toBytes();
    expect(errorOf(group).message).toMatch(/^too many types in a recursion group/);
  });

  it('counts the types of all recursion groups together', () => {
    // One group holding the whole limit's worth of empty structs, then one more type.
    const group = new Uint8Array(2 * L.maxTypes);
    for (let i = 0; i < group.length; i += 2) group[i] = 0x5f;
    const payload = [0x02, 0x4e, ...uleb(L.maxTypes), ...group, 0x5f, 0x00];
    expect(errorOf(new ModuleBuilder().addRawSection(1, payload).toBytes()).message).toMatch(/^too many types: more than 1000000/);
  });

  it('limits br_table targets in the operator loop', async () => {
    const { Immediates, readOperators } = await import('../src/index.ts');
    const body = Uint8Array.from([0x0e, ...uleb(L.maxBrTableSize + 1), 0x00]);
    expect(() => readOperators({ bytes: body, offset: 0 }, 0, { visit() {} }, new Immediates())).toThrow(/^br_table too large/);
  });

  it('limits locals and function size', () => {
    const b = new ModuleBuilder();
    b.addFunction(b.addType({ params: [], results: [] }), [{ count: L.maxLocals + 1, type: 0x7f }], op('end'));
    expect(errorOf(b.toBytes()).message).toMatch(/^too many locals/);
  });

  it('counts imported tables and memories against their limits', () => {
    const imports = (kind: number, count: number) => {
      const entry = [0x00, 0x00, kind, ...(kind === 0x01 ? [0x70] : []), 0x00, 0x01];
      return new ModuleBuilder().addRawSection(2, [...uleb(count), ...Array.from({ length: count }, () => entry).flat()]).toBytes();
    };
    expect(() => decodeModule(imports(0x02, L.maxMemories))).not.toThrow();
    expect(errorOf(imports(0x02, L.maxMemories + 1)).message).toMatch(/^too many memories/);
    expect(errorOf(imports(0x01, L.maxTables + 1)).message).toMatch(/^too many tables/);
  });

  it('counts parameters as locals (the JS API limit includes them)', () => {
    const withParams = (locals: number) => {
      const b = new ModuleBuilder();
      b.addFunction(b.addType({ params: [0x7f, 0x7f], results: [] }), [{ count: locals, type: 0x7f }], op('end'));
      return b.toBytes();
    };
    expect(() => decodeModule(withParams(L.maxLocals - 2))).not.toThrow();
    expect(errorOf(withParams(L.maxLocals - 1)).message).toMatch(/^too many locals: 50001 locals/);
  });
});
