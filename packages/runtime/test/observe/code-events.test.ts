// Code logging: every code object is reported when it is placed — Wasm functions named as V8
// names them (with the tier), stubs, trampolines — and when its memory is unmapped; the code map
// finds the object behind any address inside it, and the perf map gets one line per object.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExternKind, ValType } from '@flint/decoder';
import { ModuleBuilder, nameBytes, op, uleb } from '@flint/decoder/testing';
import { CodeSpace } from '../../src/code/code-space.ts';
import { DEFAULT_TIER, Engine, WebAssembly, type CodeEvent } from '../../src/index.ts';
import { backendForHost } from '../../src/native/backends.ts';
import { perfMapLine } from '../../src/observe/perf-map.ts';
import { chainModule } from '../helpers/chain-module.ts';

const FUNCTIONS = 12;
const bytes = chainModule({ functions: FUNCTIONS, padding: 1 });

describe('code events', () => {
  it('report each Wasm function of a compiled module with its address, size, index, tier and name', () => {
    const events: CodeEvent[] = [];
    const engine = new Engine({ compileWorkers: 0, onCode: (event) => events.push(event) });
    const before = events.length; // the thread's existing code (trap exit, trampolines) is replayed first
    expect(events.every((event) => event.type === 'create')).toBe(true);
    expect(events.some((event) => event.code.kind === 'trap-exit' && event.code.name === 'flint:trap-exit')).toBe(true);

    const compiled = engine.compile(bytes);
    const created = events.slice(before).filter((event) => event.code.kind === 'wasm-function');
    expect(created.map((event) => event.code.funcIndex)).toEqual([...Array(FUNCTIONS).keys()]);
    for (const { type, code } of created) {
      expect(type).toBe('create');
      expect(code.address).toBe(compiled.codeAddress(code.funcIndex!));
      expect(code.size).toBeGreaterThan(0);
      expect(code.tier).toBe(DEFAULT_TIER);
      // No name section: the export name stands in (the chain module exports f<k>).
      expect(code.name).toBe(`wasm-function[${code.funcIndex}] f${code.funcIndex} [${DEFAULT_TIER}]`);
      expect(code.script).toBe(compiled.script);
    }
    // Pieces do not overlap and lie in address order.
    for (let i = 1; i < created.length; i++) {
      expect(created[i]!.code.address).toBeGreaterThanOrEqual(created[i - 1]!.code.address + BigInt(created[i - 1]!.code.size));
    }
    void engine.close();
  });

  it('use the name section, and name lazy stubs, lazily compiled code and trampolines', () => {
    const builder = new ModuleBuilder();
    const type = builder.addType({ params: [ValType.I32], results: [ValType.I32] });
    const inc = builder.addFunction(type, [], [...op('local.get', 0), ...op('i32.const', 1), ...op('i32.add'), ...op('end')]);
    builder.addExport('inc', ExternKind.Func, inc);
    // The name section's function names (subsection 1): function 0 is "increment".
    const functionNames = [...uleb(1), ...uleb(inc), ...nameBytes('increment')];
    builder.addCustomSection('name', [1, ...uleb(functionNames.length), ...functionNames]);
    const named = builder.toBytes();
    const events: CodeEvent[] = [];
    const engine = new Engine({ compileWorkers: 0, onCode: (event) => events.push(event) });
    const before = events.length;
    const compiled = engine.compile(named, { lazy: true });
    expect(events.slice(before).map((event) => event.code.name)).toEqual(['flint:lazy-stub wasm-function[0] increment']);
    const exported = new WebAssembly.Instance(WebAssembly.Module.fromCompiled(compiled), {}).exports.inc as (x: number) => number;
    expect(exported(41)).toBe(42);
    const names = events.slice(before).map((event) => event.code.name);
    expect(names).toContain(`wasm-function[0] increment [${DEFAULT_TIER}]`);
    expect(names).toContain('flint:entry (i32)->(i32)');
    void engine.close();
  });

  it('report code freed when its region is unmapped, and stop after close()', async () => {
    const space = new CodeSpace(backendForHost().isa.instructionCache);
    const events: CodeEvent[] = [];
    const stop = space.codeMap.listen((batch) => events.push(...batch));
    const piece = { code: new Uint8Array([0xc3, 0xc3, 0xc3, 0xc3]), trapSites: [], relocations: [] };
    const region = space.place([piece, piece], {}, [{ kind: 'helper', name: 'first' }, { kind: 'helper', name: 'second' }]);
    const [first, second] = [region.addressOf(0), region.addressOf(1)];
    expect(events.map((event) => [event.type, event.code.name, event.code.address])).toEqual([
      ['create', 'first', first],
      ['create', 'second', second],
    ]);
    expect(space.codeMap.lookup(first + 3n)?.name).toBe('first');
    expect(space.codeMap.lookup(first + 4n)).toBeUndefined(); // alignment padding between the pieces
    expect(space.codeMap.lookup(second)?.name).toBe('second');
    region.dispose();
    expect(events.slice(2).map((event) => [event.type, event.code.name])).toEqual([
      ['free', 'first'],
      ['free', 'second'],
    ]);
    expect(space.codeMap.lookup(first)).toBeUndefined();
    stop();
    space.place([piece]).dispose();
    expect(events).toHaveLength(4);
  });
});

describe('perf map', () => {
  it('has one `<hex address> <hex size> <name>` line per code object', () => {
    const path = join(tmpdir(), `flint-perf-${process.pid}-${Date.now()}.map`);
    try {
      const engine = new Engine({ compileWorkers: 0, perfMap: path });
      const compiled = engine.compile(bytes);
      const lines = readFileSync(path, 'utf8').split('\n');
      for (let f = 0; f < FUNCTIONS; f++) {
        const code = engine.codeObjects().find((object) => object.kind === 'wasm-function' && object.funcIndex === f && object.script === compiled.script)!;
        expect(lines).toContain(perfMapLine(code.address, code.size, code.name).trimEnd());
        expect(perfMapLine(code.address, code.size, code.name)).toMatch(new RegExp(`^${code.address.toString(16)} [0-9a-f]+ wasm-function\\[${f}\\] f${f} \\[${DEFAULT_TIER}\\]\\n$`));
      }
      expect(lines.some((line) => / flint:trap-exit$/.test(line))).toBe(true);
    } finally {
      rmSync(path, { force: true });
    }
  });
});
