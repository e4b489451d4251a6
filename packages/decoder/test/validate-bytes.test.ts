// `validate(bytes)`: decode and validate binary modules written with the module builder, with
// error offsets pointing at the offending instruction in the module's bytes.
import { describe, expect, it } from 'vitest';
import { CompileError } from '../src/errors.ts';
import { ModuleBuilder, op } from '../src/testing/index.ts';
import { ValType, heapFromTypeIndex, refType } from '../src/types.ts';
import { TypeCanonicalizer } from '../src/validate/type-canonicalizer.ts';
import { validate } from '../src/validate/validate-bytes.ts';

const { I32, F32 } = ValType;

function errorOf(bytes: Uint8Array): CompileError {
  try {
    validate(bytes);
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error('expected a CompileError');
}

/** Module offset of `needle` in `bytes`, searching from the end (bodies come last). */
function lastIndexOf(bytes: Uint8Array, needle: readonly number[]): number {
  for (let i = bytes.length - needle.length; i >= 0; i--) if (needle.every((b, j) => bytes[i + j] === b)) return i;
  return -1;
}

describe('validate(bytes)', () => {
  it('accepts a module with a function, a memory, a global and an export', () => {
    const b = new ModuleBuilder();
    const t = b.addType({ params: [I32], results: [I32] });
    b.addMemory({ min: 1 });
    b.addGlobal({ type: I32, mutable: true }, op('i32.const', 0));
    const f = b.addFunction(t, [], [...op('local.get', 0), ...op('global.get', 0), ...op('i32.add'), ...op('end')]);
    b.addExport('f', 0, f);
    const result = validate(b.toBytes());
    expect(result.features.has('mvp')).toBe(true);
    expect(result.declaredFunctions[f]).toBe(1);
  });

  it('points the error offset at the offending instruction', () => {
    const b = new ModuleBuilder();
    const t = b.addType({ params: [], results: [I32] });
    const bad = [...op('f32.const', 1.5), ...op('i32.eqz'), ...op('end')];
    b.addFunction(t, [], bad);
    const bytes = b.toBytes();
    const e = errorOf(bytes);
    expect(e.message.startsWith('type mismatch: instruction requires [i32] but stack has [f32]')).toBe(true);
    expect(e.message).toContain('i32.eqz in function #0');
    // The f32.const operator occupies 5 bytes; i32.eqz follows it.
    expect(e.offset).toBe(lastIndexOf(bytes, bad) + 5);
    expect(bytes[e.offset]).toBe(op('i32.eqz')[0]);
  });

  it('rejects ref.func of an undeclared function and accepts it once exported', () => {
    const build = (exported: boolean) => {
      const b = new ModuleBuilder();
      const t = b.addType({ params: [], results: [] });
      const f = b.addFunction(t, [], [...op('ref.func', 0), ...op('drop'), ...op('end')]);
      if (exported) b.addExport('f', 0, f);
      return b.toBytes();
    };
    expect(errorOf(build(false)).message.startsWith('undeclared function reference')).toBe(true);
    expect(() => validate(build(true))).not.toThrow();
  });

  it('canonicalizes recursion groups across modules through a shared canonicalizer', () => {
    const build = () => {
      const b = new ModuleBuilder();
      b.addRecGroup([
        { composite: { kind: 'struct', fields: [{ type: refType(true, heapFromTypeIndex(1)), mutable: false }] } },
        { composite: { kind: 'array', element: { type: F32, mutable: true } } },
      ]);
      return b.toBytes();
    };
    const canonicalizer = new TypeCanonicalizer();
    const a = validate(build(), { canonicalizer });
    const b = validate(build(), { canonicalizer });
    expect(Array.from(b.canonicalTypeIds)).toEqual(Array.from(a.canonicalTypeIds));
    expect(a.features.has('gc')).toBe(true);
  });

  it('reports a non-constant global initializer at the instruction', () => {
    const b = new ModuleBuilder();
    b.addGlobal(I32, [...op('i32.const', 1), ...op('i32.const', 2), ...op('i32.div_u')]);
    const e = errorOf(b.toBytes());
    expect(e.message.startsWith('constant expression required')).toBe(true);
    expect(b.toBytes()[e.offset]).toBe(op('i32.div_u')[0]);
  });
});
