// `compileMachineCode`: machine code for a named target, compiled on any host and never placed,
// with trap sites and the operator map pointing at the right bytes of the module.
import { TrapReason } from '@flint/backend';
import { compileFunction } from '@flint/compiler-baseline';
import { arm64Backend } from '@flint/codegen-arm64';
import { x64Backend } from '@flint/codegen-x64';
import { decodeModule, validateModule } from '@flint/decoder';
import { describe, expect, it } from 'vitest';
import { CompileError, UnsupportedError, compileMachineCode } from '../src/index.ts';
import { I32, buildModule, op } from './helpers/module-builder.ts';

const i32DivU = 0x6e;
// One imported function, so defined functions start at index 1.
const bytes = buildModule({
  types: [[[], []], [[I32, I32], [I32]]],
  imports: [{ module: 'env', name: 'f', func: 0 }],
  funcs: [
    { type: 0, body: [op.unreachable], export: 'boom' },
    { type: 1, body: [op.localGet, 0, op.localGet, 1, i32DivU], export: 'div' },
  ],
});

/** The module offset of the last byte of `pattern` (the operator at its end), found in the bytes. */
function offsetOfLast(pattern: readonly number[]): number {
  outer: for (let at = 0; at + pattern.length <= bytes.length; at++) {
    for (let i = 0; i < pattern.length; i++) if (bytes[at + i] !== pattern[i]) continue outer;
    return at + pattern.length - 1;
  }
  throw new Error('pattern not in module');
}

// The unreachable body is `00 (no locals) 00 (unreachable) 0b`: preceded by its size, 3.
const unreachableOffset = offsetOfLast([0x03, 0x00, op.unreachable]);
const divOffset = offsetOfLast([op.localGet, 0, op.localGet, 1, i32DivU]);

describe.each([
  ['x64', x64Backend],
  ['arm64', arm64Backend],
] as const)('compileMachineCode for %s (on any host)', (target, backend) => {
  const functions = compileMachineCode(bytes, { tier: 'baseline', target });

  it('returns every defined function in index order, named from its export', () => {
    expect(functions.map((fn) => [fn.funcIndex, fn.name])).toEqual([
      [1, 'boom'],
      [2, 'div'],
    ]);
    for (const fn of functions) expect(fn.code.length).toBeGreaterThan(0);
    if (target === 'arm64') for (const fn of functions) expect(fn.code.length % 4).toBe(0);
  });

  it('gives the same bytes as compiling the function directly with the backend', () => {
    const module = decodeModule(bytes);
    validateModule(module);
    for (const [i, body] of module.codes.entries()) {
      const direct = compileFunction({ module, body }, backend);
      expect(functions[i]!.code).toEqual(direct.code);
      expect(functions[i]!.trapSites).toEqual(direct.trapSites);
    }
  });

  it('records trap sites with the Wasm offset of the trapping operator', () => {
    const [boom, div] = functions;
    expect(boom!.trapSites).toContainEqual(expect.objectContaining({ reason: TrapReason.Unreachable, wasmOffset: unreachableOffset }));
    expect(div!.trapSites).toContainEqual(expect.objectContaining({ reason: TrapReason.IntegerDivideByZero, wasmOffset: divOffset }));
  });

  it('maps code offsets to operator offsets: sorted, inside the code and the body', () => {
    const [boom, div] = functions;
    for (const fn of functions) {
      const offsets = fn.operatorOffsets;
      expect(offsets.length).toBeGreaterThan(0);
      for (let i = 0; i < offsets.length; i++) {
        expect(offsets[i]!.codeOffset).toBeLessThan(fn.code.length);
        if (i > 0) expect(offsets[i]!.codeOffset).toBeGreaterThan(offsets[i - 1]!.codeOffset);
      }
    }
    expect(boom!.operatorOffsets.map((o) => o.wasmOffset)).toContain(unreachableOffset);
    expect(div!.operatorOffsets.map((o) => o.wasmOffset)).toContain(divOffset);
    // The division's code starts after the prologue, and its trap check lies at or after it.
    const divStart = div!.operatorOffsets.find((o) => o.wasmOffset === divOffset)!.codeOffset;
    expect(divStart).toBeGreaterThan(0);
    const divTrap = div!.trapSites.find((site) => site.reason === TrapReason.IntegerDivideByZero)!;
    expect(divTrap.codeOffset).toBeGreaterThan(divStart);
  });
});

describe('compileMachineCode for one function', () => {
  it('compiles only the function asked for, to the same code', () => {
    const all = compileMachineCode(bytes, { target: 'x64' });
    const only = compileMachineCode(bytes, { target: 'x64', funcIndex: 2 });
    expect(only).toEqual([all[1]]);
  });

  it('an import or an index past the end is a RangeError naming the defined range', () => {
    for (const funcIndex of [0, 3, 1.5]) {
      expect(() => compileMachineCode(bytes, { target: 'x64', funcIndex })).toThrow(new RangeError(`function #${funcIndex} is not defined in the module (defined: #1..#2)`));
    }
  });
});

describe('compileMachineCode errors', () => {
  it('an unknown target names the known ones', () => {
    expect(() => compileMachineCode(bytes, { target: 'riscv64' })).toThrow(new UnsupportedError('target not supported: riscv64 (known: x64, arm64)'));
  });

  it('an invalid module is a CompileError', () => {
    const invalid = buildModule({ types: [[[], [I32]]], funcs: [{ type: 0, body: [] }] });
    expect(() => compileMachineCode(invalid, { target: 'x64' })).toThrow(CompileError);
  });
});
