import { readFileSync } from 'node:fs';
import { BackendBailout, BailoutReason, Builtin, TrapReason } from '@flint/backend';
import { decodeModule, validateModule } from '@flint/decoder';
import { describe, expect, it } from 'vitest';
import { BaselineCompiler, compileFunction, createCompileStats } from '../src/index.ts';
import { F32, F64, I32, I64, compileLast, lines, oneFunction, op } from './helpers.ts';
import { RecordingBackend, recordingRegisters } from './recording-masm.ts';

// Frame layout of the compiler: local i at slot (i + 1) * 8, stack position p at localsBytes + (p + 1) * 8.

describe('constants fold into immediates', () => {
  it('i32.add with a constant right operand uses an immediate and no move of the constant', () => {
    const c = compileLast(oneFunction([I32], [I32], [], [...op('local.get', 0), ...op('i32.const', 5), ...op('i32.add'), ...op('end')]));
    expect(lines(c, 'intBinary')).toEqual(['intBinary 0 32 r0 r0 #5']);
    expect(c.log.some((l) => l.startsWith('move') && l.includes('#5'))).toBe(false);
    // The parameter arrives in r0, is spilled to its local slot and filled back for the add.
    expect(c.log).toContain('spill [8] r0 32');
    expect(c.log).toContain('fill r0 [8] 32');
  });

  it('i64 comparisons and shifts by constants fold too', () => {
    const c = compileLast(
      oneFunction([I64], [I32], [], [...op('local.get', 0), ...op('i64.const', 3), ...op('i64.shl'), ...op('i64.const', -1n), ...op('i64.lt_s'), ...op('end')]),
    );
    expect(lines(c, 'shiftImm')).toEqual(['shiftImm 0 64 r0 r0 #3']);
    expect(lines(c, 'intCompare')).toEqual(['intCompare 2 64 r0 r0 #-1']);
  });

  it('a constant left operand is materialized, the right one stays a register', () => {
    const c = compileLast(oneFunction([I32], [I32], [], [...op('i32.const', 7), ...op('local.get', 0), ...op('i32.sub'), ...op('end')]));
    expect(c.log).toContain('move r1 #7 32');
    expect(lines(c, 'intBinary')).toEqual(['intBinary 1 32 r1 r1 r0']);
  });

  it('float constants load from raw bits', () => {
    const c = compileLast(oneFunction([], [F64], [], [...op('f64.const', -0), ...op('end')]));
    expect(lines(c, 'loadFloatConstant')).toEqual([`loadFloatConstant f0 64 0:${0x80000000}`]);
  });
});

describe('register allocation', () => {
  it('spills the oldest register value when registers run out, into its stack position slot', () => {
    // Six live sums on a machine with five integer registers: the first one (position 0) spills.
    const body: number[] = [];
    for (let i = 0; i < 6; i++) body.push(...op('local.get', 0), ...op('i32.const', i + 1), ...op('i32.add'));
    for (let i = 0; i < 5; i++) body.push(...op('i32.add'));
    body.push(...op('end'));
    const c = compileLast(oneFunction([I32], [I32], [], body));
    const localsBytes = 8;
    const spills = lines(c, 'spill').filter((l) => l !== 'spill [8] r0 32');
    expect(spills[0]).toBe(`spill [${localsBytes + 8}] r0 32`);
    // It comes back from the same slot for the final additions.
    expect(c.log).toContain(`fill r0 [${localsBytes + 8}] 32`);
    expect(c.frameSize).toBeGreaterThanOrEqual(localsBytes + 6 * 8);
  });

  it('frees registers: a long chain of additions never spills', () => {
    const body: number[] = [...op('local.get', 0)];
    for (let i = 0; i < 200; i++) body.push(...op('local.get', 0), ...op('i32.add'));
    body.push(...op('end'));
    const c = compileLast(oneFunction([I32], [I32], [], body));
    expect(lines(c, 'spill')).toEqual(['spill [8] r0 32']);
  });

  it('division pins registers through the value-stack context without losing live values', () => {
    // A live value sits in r0 when the division claims r0 and r2: it must be moved, not lost.
    const c = compileLast(
      oneFunction([I32, I32], [I32], [], [
        ...op('local.get', 0), ...op('i32.const', 1), ...op('i32.add'), // live in r0
        ...op('local.get', 0), ...op('local.get', 1), ...op('i32.div_s'),
        ...op('i32.add'), ...op('end'),
      ]),
    );
    const div = c.log.findIndex((l) => l.startsWith('div'));
    expect(div).toBeGreaterThan(0);
    const before = c.log.slice(0, div);
    // r0 held the live sum: it was moved out of r0 before the dividend went in.
    const moved = before.findIndex((l) => /^move r\d r0 (32|64)$/.test(l));
    expect(moved).toBeGreaterThan(0);
    expect(c.log[div]).toMatch(/^div 0 32 r0 r[134]$/);
  });

  it('shifts by a register pin the count through the context', () => {
    const c = compileLast(oneFunction([I32, I32], [I32], [], [...op('local.get', 0), ...op('local.get', 1), ...op('i32.shl'), ...op('end')]));
    expect(lines(c, 'shift ')).toEqual(['shift 0 32 r0 r1']);
  });

  it('a reused compiler produces the same code as a fresh one (no state leaks between functions)', () => {
    const a = oneFunction([I32], [I32], [I64, F64], [...op('local.get', 0), ...op('i32.const', 3), ...op('i32.mul'), ...op('end')]);
    const b = oneFunction([F32, F32], [I32], [], [...op('local.get', 0), ...op('local.get', 1), ...op('f32.lt'), ...op('end')]);
    const backend = new RecordingBackend();
    const reused = new BaselineCompiler(backend);
    const compile = (m: typeof a) => {
      const body = m.module.codes[0]!;
      reused.compile({ module: m.module, body });
      return [...backend.last.log];
    };
    const first = compile(b);
    compile(a);
    expect(compile(b)).toEqual(first);
    expect(compileLast(b).log).toEqual(first);
  });
});

describe('locals', () => {
  it('declared locals start at zero, params are spilled to their slots', () => {
    const c = compileLast(oneFunction([I32, F64], [], [I64, F32], [...op('end')]));
    expect(c.log.slice(0, 6)).toEqual(['prologue ' + c.frameSize, 'spill [8] r0 32', 'spill [16] f0 64', 'move r0 #0 64', 'spill [24] r0 64', 'spill [32] r0 64']);
  });

  it('local.set loads a deferred local.get of the same local before overwriting it', () => {
    // (local.get 0) (local.set 0 (i32.const 9)) (return the old value)
    const c = compileLast(oneFunction([I32], [I32], [], [...op('local.get', 0), ...op('i32.const', 9), ...op('local.set', 0), ...op('end')]));
    const fillOld = c.log.indexOf('fill r0 [8] 32');
    const store = c.log.findIndex((l, i) => i > fillOld && l.startsWith('spill [8]'));
    expect(fillOld).toBeGreaterThan(0);
    expect(store).toBeGreaterThan(fillOld);
    // The old value, not the local, is returned in r0.
    expect(c.log.slice(store + 1).some((l) => l.startsWith('fill r0 [8]'))).toBe(false);
  });
});

const lastIndexWith = (log: readonly string[], prefix: string): number => {
  for (let i = log.length - 1; i >= 0; i--) if (log[i]!.startsWith(prefix)) return i;
  return -1;
};

describe('local.set / local.tee followed by local.get of the same local', () => {
  // (param f64 f64) (local f64): local 2 is frame slot 24.
  const run = (second: number[]) =>
    compileLast(oneFunction([F64, F64], [F64], [F64], [...op('local.get', 0), ...op('local.get', 1), ...op('f64.mul'), ...second, ...op('f64.add'), ...op('end')]));

  it('local.tee then local.get copies the register instead of reading the slot just written', () => {
    const c = run([...op('local.tee', 2), ...op('local.get', 2)]);
    // The last store to slot 24 is the tee's (the first zeroes the declared local).
    const spill = lastIndexWith(c.log, 'spill [24]');
    expect(spill).toBeGreaterThan(0);
    expect(c.log.some((l) => l.startsWith('fill') && l.includes('[24]'))).toBe(false);
    expect(c.log[spill + 1]).toMatch(/^move f\d+ f\d+ 64$/);
    expect(c.log[spill + 2]).toMatch(/^floatBinary /);
  });

  it('local.set then local.get keeps the value in its register', () => {
    // The sum needs a second operand: x * y, set to local 2, read back, added to itself.
    const c = compileLast(
      oneFunction([F64, F64], [F64], [F64], [...op('local.get', 0), ...op('local.get', 1), ...op('f64.mul'), ...op('local.set', 2), ...op('local.get', 2), ...op('local.get', 2), ...op('f64.add'), ...op('end')]),
    );
    const spill = lastIndexWith(c.log, 'spill [24]');
    expect(spill).toBeGreaterThan(0);
    expect(c.log[spill + 1]).toMatch(/^fill f\d+ \[24\] 64$/);
    // Exactly one read of slot 24: the second local.get, which is not right after the set.
    expect(c.log.filter((l) => l.startsWith('fill') && l.includes('[24]'))).toHaveLength(1);
  });

  it('a local.get of another local is not answered early', () => {
    const c = run([...op('local.tee', 2), ...op('local.get', 1)]);
    const spill = lastIndexWith(c.log, 'spill [24]');
    // The tee keeps a copy for the local cache, then local 1 is read from its slot.
    expect(c.log.slice(spill + 1, spill + 3).map((l) => l.replace(/\d+/g, 'N'))).toEqual(['move fN fN N', 'fill fN [N] N']);
    expect(c.log.filter((l) => l.startsWith('fill') && l.includes('[16]'))).toHaveLength(2);
  });
});

describe('control flow and merges', () => {
  it('a block result reached by br_if is stored in the slot of its position and read back after the join', () => {
    const c = compileLast(
      oneFunction([I32], [I32], [], [
        ...op('block', I32),
        ...op('i32.const', 1), ...op('local.get', 0), ...op('br_if', 0),
        ...op('drop'), ...op('i32.const', 2),
        ...op('end'), ...op('end'),
      ]),
    );
    const slot0 = 8 + 8; // localsBytes + position 0
    const log = c.log.join('\n');
    // taken path: store the constant 1 into the result slot, then jump to the end label
    expect(log).toMatch(new RegExp(`branchOnZero r\\d 32 (L\\d+)\\nmove (r\\d) #1 32\\nspill \\[${slot0}\\] \\2 32\\njump (L\\d+)\\n\\1:`));
    // fall-through: the constant 2 goes to the same slot; after the join the result is filled from it
    expect(log).toMatch(new RegExp(`move (r\\d) #2 32\\nspill \\[${slot0}\\] \\1 32\\nL\\d+:\\nfill r0 \\[${slot0}\\] 32\\nL0:\\nepilogue`));
  });

  it('a block nobody branches to keeps its fall-through state (no merge moves)', () => {
    const c = compileLast(oneFunction([I32], [I32], [], [...op('block', I32), ...op('local.get', 0), ...op('i32.const', 1), ...op('i32.add'), ...op('end'), ...op('end')]));
    expect(lines(c, 'spill')).toEqual(['spill [8] r0 32']);
  });

  it('loop parameters are stored in their slots on entry and by the back edge', () => {
    const b = (bld: import('@flint/decoder/testing').ModuleBuilder) => bld.addType({ params: [I32], results: [I32] });
    const c = compileLast(
      oneFunction([I32], [I32], [], [
        ...op('local.get', 0),
        ...op('loop', { typeIndex: 0 }),
        ...op('i32.const', 1), ...op('i32.sub'),
        ...op('local.tee', 0), ...op('local.get', 0), ...op('br_if', 0),
        ...op('end'), ...op('end'),
      ], b),
    );
    const slot0 = 8 + 8;
    // entry: the deferred local.get is made real in the parameter's slot before the header
    const header = c.log.findIndex((l) => /^L\d+:$/.test(l));
    expect(c.log.slice(0, header)).toContain(`spill [${slot0}] r0 32`);
    // back edge: the decremented value is stored into the same slot before jumping to the header
    const jumpBack = c.log.findIndex((l) => l === `jump ${c.log[header]!.slice(0, -1)}`);
    expect(jumpBack).toBeGreaterThan(header);
    expect(c.log[jumpBack - 1]).toMatch(new RegExp(`^spill \\[${slot0}\\] r\\d 32$`));
  });

  it('if/else joins both arms in the result slot; code after br is not emitted', () => {
    const c = compileLast(
      oneFunction([I32], [I32], [], [
        ...op('local.get', 0), ...op('if', I32),
        ...op('i32.const', 10), ...op('br', 0), ...op('i32.const', 999), ...op('i32.add'),
        ...op('else'), ...op('i32.const', 20),
        ...op('end'), ...op('end'),
      ]),
    );
    expect(c.log.join(' ')).not.toContain('#999');
    expect(lines(c, 'spill [16]')).toHaveLength(2);
  });

  it('br_table dispatches through one table with a stub per target that carries values', () => {
    const c = compileLast(
      oneFunction([I32], [I32], [], [
        ...op('block', I32), ...op('block', I32),
        ...op('i32.const', 7), ...op('local.get', 0), ...op('br_table', [0, 1, 0], 1),
        ...op('end'), ...op('i32.const', 1), ...op('i32.add'),
        ...op('end'), ...op('end'),
      ]),
    );
    const table = lines(c, 'jumpTable');
    expect(table).toHaveLength(1);
    const labels = table[0]!.match(/L\d+/g)!;
    // targets [0 1 0] default 1: two distinct stubs, the same label for equal depths
    expect(labels[0]).toBe(labels[2]);
    expect(labels[1]).toBe(labels[3]);
    expect(labels[0]).not.toBe(labels[1]);
  });

  it('return loads the result register and jumps to the shared epilogue', () => {
    const c = compileLast(oneFunction([], [F32], [], [...op('f32.const', 1.5), ...op('return'), ...op('end')]));
    expect(c.log.slice(-4)).toEqual([`loadFloatConstant f0 32 ${0x3fc00000}:0`, 'jump L0', 'L0:', 'epilogue']);
  });

  it('unreachable traps and ends the reachable code', () => {
    const c = compileLast(oneFunction([], [I32], [], [...op('unreachable'), ...op('i32.const', 1), ...op('end')]));
    expect(c.log.slice(1)).toEqual(['pollInterrupt', `trap ${TrapReason.Unreachable}`, 'L0:', 'epilogue']);
  });

  it('polls for interrupts at function entry (after the locals are set up) and at every loop header', () => {
    // (loop (loop (br_if 0 (local.get 0))) (br_if 0 (local.get 0)))
    const body = [...op('loop'), ...op('loop'), ...op('local.get', 0), ...op('br_if', 0), ...op('end'), ...op('local.get', 0), ...op('br_if', 0), ...op('end'), ...op('end')];
    const c = compileLast(oneFunction([I32], [], [], body));
    const polls = c.log.flatMap((line, i) => (line === 'pollInterrupt' ? [i] : []));
    expect(polls).toHaveLength(3);
    expect(c.log[polls[0]! - 1]).toMatch(/^spill /); // the parameter is in its slot before the poll
    expect(c.log[polls[1]! - 1]).toMatch(/^L\d+:$/); // right after each loop's label
    expect(c.log[polls[2]! - 1]).toMatch(/^L\d+:$/);
  });
});

describe('tier-up checks (compiled for dynamic tiering)', () => {
  // (loop $outer (loop $inner (br_if $inner (local.get 0))) (block $b (br_table $b $outer (local.get 0))) (br $outer))
  const body = [
    ...op('loop'),
    ...op('loop'), ...op('local.get', 0), ...op('br_if', 0), ...op('end'),
    ...op('block'), ...op('local.get', 0), ...op('br_table', [0], 1), ...op('end'),
    ...op('br', 0),
    ...op('end'), ...op('end'),
  ];
  const fn = () => oneFunction([I32], [], [], body);
  const checks = (log: readonly string[]) => log.filter((line) => line.startsWith('tierUpCheck'));

  it('spend the body size at entry and the bytes from the loop header on every back-edge, where no value is in a register', () => {
    const m = fn();
    const c = compileLast(m, new RecordingBackend(), undefined, { tierUpChecks: true });
    const funcIndex = m.module.numImportedFunctions + m.module.codes.length - 1;
    const size = m.module.codes.at(-1)!.code.bytes.length;
    const found = checks(c.log);
    // entry; br_if $inner; br_table to $outer (a stub; $b is no loop); br $outer
    expect(found).toHaveLength(4);
    expect(found[0]).toBe(`tierUpCheck ${funcIndex} ${size}`);
    expect(c.log[c.log.indexOf(found[0]!) - 1]).toBe('pollInterrupt');
    for (const line of found.slice(1)) {
      const cost = Number(line.split(' ')[2]);
      expect(cost).toBeGreaterThan(0);
      expect(cost).toBeLessThan(size);
      // Each back-edge check is followed by the jump to its loop.
      expect(c.log[c.log.indexOf(line) + 1]).toMatch(/^jump L\d+$/);
    }
  });

  it('are not emitted otherwise, nor in debug code', () => {
    expect(checks(compileLast(fn()).log)).toEqual([]);
    expect(checks(compileLast(fn(), new RecordingBackend(), undefined, { tierUpChecks: true, debug: { breakAt: new Set<number>(), sites: [], localKinds: [] } }).log)).toEqual([]);
  });
});

describe('memory, globals, calls and builtins', () => {
  it('every access is bounds-checked with its size and static offset before it happens', () => {
    const c = compileLast(
      oneFunction([I32], [], [], [...op('local.get', 0), ...op('local.get', 0), ...op('i64.load16_u', { offset: 0xffff_fff0 }), ...op('i64.store32', { offset: 4 }), ...op('end')], (b) => b.addMemory({ min: 1 })),
    );
    const kinds = c.log.filter((l) => /^(boundsCheck|heapAddress|load|store)/.test(l)).map((l) => l.split(' ')[0]);
    expect(kinds).toEqual(['boundsCheck', 'heapAddress', 'load', 'boundsCheck', 'heapAddress', 'store']);
    expect(lines(c, 'boundsCheck')[0]).toMatch(/ \+4294967280 2$/);
    expect(lines(c, 'boundsCheck')[1]).toMatch(/ \+4 4$/);
  });

  it('a constant address inside the declared minimum needs no check: base + displacement', () => {
    // 65530 + 2 + 4 = 65536 fits one page exactly; 65531 + 2 + 4 does not.
    const body = (address: number) => [
      ...op('i32.const', address), ...op('f32.const', 1.5), ...op('f32.store', { offset: 2 }),
      ...op('i32.const', address), ...op('i64.load32_u', { offset: 2 }), ...op('drop'), ...op('end'),
    ];
    const inside = compileLast(oneFunction([], [], [], body(65530), (b) => b.addMemory({ min: 1 })));
    const kinds = (c: { log: string[] }) => c.log.filter((l) => /^(boundsCheck|heapAddress|loadPtr|load |store)/.test(l)).map((l) => l.split(' ')[0]);
    expect(kinds(inside)).toEqual(['loadPtr', 'store', 'loadPtr', 'load']);
    expect(lines(inside, 'loadPtr')).toEqual(['loadPtr r0 [vmctx + 0]', 'loadPtr r0 [vmctx + 0]']);
    expect(lines(inside, 'store')[0]).toMatch(/ \[r0 \+ 65532\] f0$/);
    expect(lines(inside, 'load ')[0]).toMatch(/ \[r0 \+ 65532\]$/);
    const beyond = compileLast(oneFunction([], [], [], body(65531), (b) => b.addMemory({ min: 1 })));
    expect(kinds(beyond)).toEqual(['boundsCheck', 'heapAddress', 'store', 'boundsCheck', 'heapAddress', 'load']);
    // A larger declared minimum admits the same access statically.
    expect(kinds(compileLast(oneFunction([], [], [], body(65531), (b) => b.addMemory({ min: 2 }))))).toEqual(['loadPtr', 'store', 'loadPtr', 'load']);
  });

  it('a call spills live values first and passes arguments in the convention registers', () => {
    const c = compileLast(
      oneFunction([I32], [I32], [], [...op('local.get', 0), ...op('i32.const', 1), ...op('i32.add'), ...op('i32.const', 5), ...op('f64.const', 2), ...op('call', 0), ...op('i32.add'), ...op('end')], (b) => {
        const t = b.addType({ params: [I32, F64], results: [I32] });
        b.addFunction(t, [], [...op('local.get', 0), ...op('end')]);
      }),
    );
    const call = c.log.indexOf('callDirect 0');
    expect(call).toBeGreaterThan(0);
    const before = c.log.slice(0, call);
    expect(before).toContain('spill [16] r0 32'); // the live sum, in its position slot
    expect(before.slice(-2)).toEqual(['move r0 #5 32', `loadFloatConstant f0 64 0:${0x40000000}`]);
    expect(c.log.slice(call + 1)).toContain('fill r1 [16] 32');
  });

  it('call_indirect loads the table index into a register that is not an argument register', () => {
    const c = compileLast(
      oneFunction([I32], [], [], [...op('local.get', 0), ...op('local.get', 0), ...op('call_indirect', 0, 0), ...op('end')], (b) => {
        b.addType({ params: [I32], results: [] });
        b.addTable({ min: 1 });
      }),
    );
    expect(lines(c, 'callIndirect')).toEqual(['callIndirect 0 0 r1']);
  });

  it('memory.grow calls its builtin with the VM context first and checks nothing (it cannot trap)', () => {
    const c = compileLast(oneFunction([I32], [I32], [], [...op('local.get', 0), ...op('memory.grow', 0), ...op('end')], (b) => b.addMemory({ min: 1 })));
    const at = c.log.indexOf(`callBuiltin ${Builtin.MemoryGrow}`);
    expect(c.log.slice(at - 3, at)).toEqual(['fill r2 [8] 32', 'move r1 #0 64', 'move r0 r14 64']);
    expect(c.log[at + 1]).toBe('convert 0 r0 r0'); // i32 result: upper half cleared
  });

  it('memory.fill checks the trap reason the builtin may have stored', () => {
    const c = compileLast(oneFunction([I32], [], [], [...op('local.get', 0), ...op('i32.const', 0), ...op('i32.const', 4), ...op('memory.fill', 0), ...op('end')], (b) => b.addMemory({ min: 1 })));
    const at = c.log.indexOf(`callBuiltin ${Builtin.MemoryFill}`);
    expect(c.log.slice(at + 1, at + 3)).toEqual(['loadPtr r1 [vmctx + 64]', `trapIf 1 32 r1 #0 ${TrapReason.OutOfBoundsMemoryAccess}`]);
  });

  it('table.get keeps its result: the trap check avoids the result register', () => {
    // The recording convention, like AAPCS64, returns in the first argument register (r0). The
    // trap-reason check after a builtin that both returns a value and may trap must not load
    // into it, or the result (here the reference read from the table) is overwritten.
    const c = compileLast(
      oneFunction([I32], [], [], [...op('local.get', 0), ...op('table.get', 0), ...op('drop'), ...op('end')], (b) => b.addTable({ min: 1 })),
    );
    const at = c.log.indexOf(`callBuiltin ${Builtin.TableGet}`);
    expect(at).toBeGreaterThan(0);
    expect(c.log.slice(at + 1, at + 3)).toEqual(['loadPtr r1 [vmctx + 64]', `trapIf 1 32 r1 #0 ${TrapReason.OutOfBoundsTableAccess}`]);
  });

  it('globals: defined ones are read from the globals area, imported ones through their cell pointer', () => {
    const c = compileLast(
      oneFunction([], [F64], [], [...op('global.get', 0), ...op('drop'), ...op('global.get', 1), ...op('end')], (b) => {
        b.addImport('env', 'g', { global: { type: I32, mutable: true } });
        b.addGlobal({ type: F64, mutable: true }, op('f64.const', 0));
      }),
    );
    expect(c.log.slice(1, 5)).toEqual(['pollInterrupt', 'loadPtr r0 [vmctx + 32]', 'loadPtr r0 [r0 + 0]', 'load 0 r0 [r0 + 0]']);
    expect(c.log.slice(5, 7)).toEqual(['loadPtr r0 [vmctx + 32]', 'load 3 f0 [r0 + 16]']);
  });
});

describe('v128', () => {
  const V128 = 0x7b;

  it('a module that uses v128 gets 16-byte frame slots; v128 locals are zeroed with two stores', () => {
    const c = compileLast(oneFunction([I32], [], [V128, I64], [...op('end')]));
    // Three locals of 16 bytes, then the spill area (8 slots of 16 bytes).
    expect(c.frameSize).toBe(3 * 16 + 8 * 16);
    expect(lines(c, 'spill')).toEqual(['spill [16] r0 32', 'spill [32] r0 64', 'spill [24] r0 64', 'spill [48] r0 64']);
    const scalar = compileLast(oneFunction([I32], [], [I64], [...op('end')]));
    expect(scalar.frameSize).toBe(2 * 8 + 8 * 8);
  });

  it('operators map onto the MacroAssembler families, results staying in the operand registers', () => {
    const c = compileLast(
      oneFunction([I32, V128], [I32], [], [
        ...op('local.get', 0), ...op('i32x4.splat'),
        ...op('local.get', 1), ...op('i32x4.add'),
        ...op('i32.const', 3), ...op('i16x8.shl'),
        ...op('i8x16.extract_lane_s', 7),
        ...op('end'),
      ]),
    );
    expect(c.log.filter((l) => l.startsWith('v128') || l.startsWith('fill'))).toEqual([
      'fill r0 [16] 32',
      'v128Splat 2 f0 r0',
      'fill f1 [32] 128',
      'v128Binary 37 f0 f0 f1',
      'v128Shift 1 0 f0 f0 #3',
      'v128ExtractLane 0s r0 f0 7',
    ]);
  });

  it('a constant splat is a v128 constant', () => {
    const c = compileLast(oneFunction([], [V128], [], [...op('i32.const', -2), ...op('i16x8.splat'), ...op('end')]));
    expect(lines(c, 'loadV128Constant')).toEqual(['loadV128Constant f0 fefffefffefffefffefffefffefffeff']);
  });

  it('memory operators bounds-check their access size and fold the offset', () => {
    const c = compileLast(
      oneFunction([I32], [], [], [
        ...op('local.get', 0),
        ...op('local.get', 0), ...op('v128.load32_splat', { offset: 8 }),
        ...op('v128.store8_lane', { offset: 3 }, 15),
        ...op('end'),
      ], (b) => b.addMemory({ min: 1 })),
    );
    expect(c.log.filter((l) => /^(boundsCheck|v128)/.test(l))).toEqual([
      'boundsCheck 0 r0 32 +8 4',
      'v128Load 8 f0 [r0 + 8]',
      'boundsCheck 0 r0 32 +3 1',
      'v128StoreLane 8 [r0 + 3] f0 15',
    ]);
  });

  it('a ternary operator pins registers through the context without losing live values', () => {
    // A live v128 sits in f0 when laneselect claims f0 for its mask: it must be moved, not lost.
    const c = compileLast(
      oneFunction([V128, V128, V128], [V128], [], [
        ...op('local.get', 0), ...op('local.get', 0), ...op('i32x4.add'), // live in f0
        ...op('local.get', 0), ...op('local.get', 1), ...op('local.get', 2), ...op('i8x16.relaxed_laneselect'),
        ...op('i32x4.add'), ...op('end'),
      ]),
    );
    const ternary = c.log.findIndex((l) => l.startsWith('v128Ternary'));
    expect(c.log.slice(0, ternary).some((l) => /^(move f\d f0 128|spill \[\d+\] f0 128)$/.test(l))).toBe(true);
    expect(c.log[ternary]).toMatch(/^v128Ternary 1 f[12] f[12] f0$/);
  });
});

describe('bailouts are typed, never wrong code', () => {
  const bailout = (f: () => unknown): BackendBailout => {
    try {
      f();
    } catch (e) {
      if (e instanceof BackendBailout) return e;
      throw e;
    }
    throw new Error('expected a bailout');
  };

  it('results beyond the result registers go to the caller’s stack result area', () => {
    const c = compileLast(oneFunction([], [I32, I32, I64], [], [...op('i32.const', 1), ...op('i32.const', 2), ...op('i64.const', 3), ...op('end')]));
    // i32 #0 in r0; i32 #1 and i64 #2 in the area after the (absent) stack arguments, 8 bytes each.
    expect(c.log.filter((l) => /^(storeStackArea|move)/.test(l))).toEqual([
      'move r0 #2 32',
      'storeStackArea in+0 r0 32',
      'move r0 #3 64',
      'storeStackArea in+8 r0 64',
      'move r0 #1 32',
    ]);
  });

  it('a call with stack arguments and results reserves, fills and frees its outgoing area', () => {
    const params = [I32, I32, I32, I32, I32, I32, I32]; // five int argument registers on this machine
    const args = params.flatMap((_, i) => op('i32.const', i + 1));
    const c = compileLast(
      oneFunction([], [I32], [], [...args, ...op('call', 0), ...op('i32.add'), ...op('end')], (b) => {
        const t = b.addType({ params, results: [I32, I32] });
        b.addFunction(t, [], [...op('local.get', 5), ...op('local.get', 6), ...op('end')]);
      }),
    );
    const at = c.log.indexOf('callDirect 0');
    const reserve = c.log.indexOf('reserveStack 32'); // 16 bytes of arguments, 16 of results (aligned)
    expect(reserve).toBeGreaterThan(0);
    expect(c.log.slice(reserve + 1, at).filter((l) => l.startsWith('storeStackArea'))).toEqual(['storeStackArea out+0 r0 32', 'storeStackArea out+8 r0 32']);
    expect(c.log.slice(at + 1, at + 4)).toEqual(['loadStackArea out+16 r1 32', `spill [16] r1 32`, 'freeStack 32']);
    // The callee reads its last two parameters from its incoming area.
    const callee = compileLast(oneFunction(params, [I32], [], [...op('local.get', 6), ...op('end')]));
    expect(callee.log).toContain('loadStackArea in+8 r0 32');
  });

  it('multi-value blocks compile even when the function result is a single value', () => {
    const c = compileLast(
      oneFunction([], [I32], [], [...op('block', { typeIndex: 1 }), ...op('i32.const', 1), ...op('i32.const', 2), ...op('end'), ...op('i32.add'), ...op('end')], (b) => {
        b.addType({ params: [I32], results: [I32] }); // type 0 placeholder
        b.addType({ params: [], results: [I32, I32] });
      }),
    );
    expect(lines(c, 'intBinary')).toHaveLength(1);
  });

  it('memory64 bails out', () => {
    const e = bailout(() => compileLast(oneFunction([I64], [I32], [], [...op('local.get', 0), ...op('i32.load'), ...op('end')], (b) => b.addMemory({ min: 1, address: 'i64' }))));
    expect(e.detail).toBe('memory64');
  });
});

describe('real modules', () => {
  it('compiles every function of examples/primes.wasm with balanced labels and frames in bounds', () => {
    const bytes = readFileSync(new URL('../../../examples/primes.wasm', import.meta.url));
    const module = decodeModule(bytes);
    validateModule(module);
    const backend = new RecordingBackend(recordingRegisters(6, 2));
    const compiler = new BaselineCompiler(backend);
    const stats = createCompileStats();
    for (const body of module.codes) {
      compiler.compile({ module, body }, { stats });
      expect(backend.last.log.at(-1)).toBe('epilogue');
    }
    expect(stats.functions).toBe(module.codes.length);
    expect(stats.bodyBytes).toBeGreaterThan(0);
  });

  it('compileFunction is the one-shot form', () => {
    const m = oneFunction([], [I32], [], [...op('i32.const', 42), ...op('end')]);
    const backend = new RecordingBackend();
    const code = compileFunction({ module: m.module, body: m.module.codes[0]! }, backend);
    expect(code.code).toBeInstanceOf(Uint8Array);
    expect(backend.last.log).toContain('move r0 #42 32');
  });
});

describe('tail calls', () => {
  it('return_call places the arguments and leaves through the ISA tail call, with no epilogue path after it', () => {
    const c = compileLast(
      oneFunction([I32], [I32], [], [...op('local.get', 0), ...op('i32.const', 1), ...op('i32.sub'), ...op('return_call', 0), ...op('end')], (b) => {
        const t = b.addType({ params: [I32], results: [I32] });
        b.addFunction(t, [], [...op('local.get', 0), ...op('end')]);
      }),
    );
    const at = c.log.indexOf('returnCallDirect 0');
    expect(at).toBeGreaterThan(0);
    expect(c.log[at - 1]).toBe('intBinary 1 32 r0 r0 #1'); // computed straight into the argument register r0
    expect(c.log.slice(at + 1)).toEqual(['L0:', 'epilogue']);
  });

  it('return_call_indirect checks and tail-calls through the table', () => {
    const c = compileLast(
      oneFunction([I32], [], [], [...op('local.get', 0), ...op('local.get', 0), ...op('return_call_indirect', 0, 0), ...op('end')], (b) => {
        b.addType({ params: [I32], results: [] });
        b.addTable({ min: 1 });
      }),
    );
    expect(lines(c, 'returnCallIndirect')).toEqual(['returnCallIndirect 0 0 r1']);
  });

  it('return_call to an import is a call followed by a return', () => {
    const c = compileLast(
      oneFunction([], [I32], [], [...op('return_call', 0), ...op('end')], (b) => {
        const t = b.addType({ params: [], results: [I32] });
        b.addImport('env', 'f', { func: t });
      }),
    );
    expect(c.log.slice(-4)).toEqual(['callImport 0', 'jump L0', 'L0:', 'epilogue']);
  });
});

describe('frame size', () => {
  it('a value stack deeper than the first guess compiles again with a frame that holds every slot', () => {
    // 40 values live at once: 40 spill slots, more than the 32 of the first pass.
    const body: number[] = [];
    for (let i = 0; i < 40; i++) body.push(...op('local.get', 0), ...op('i32.const', i), ...op('i32.add'));
    for (let i = 0; i < 39; i++) body.push(...op('i32.add'));
    body.push(...op('end'));
    const stats = createCompileStats();
    // The recording masm rejects any slot outside the frame, so a too-small frame would throw here.
    const c = compileLast(oneFunction([I32], [I32], [], body), new RecordingBackend(), stats);
    expect(stats.recompiles).toBe(1);
    // Deepest stack: 39 sums, then local.get and the constant of the 40th = 41 positions.
    expect(c.frameSize).toBe(8 + 41 * 8);
    expect(lines(c, 'spill').length).toBeGreaterThan(30);
  });
});

describe('GC types stay out of reach', () => {
  it('call_indirect to a non-final type bails out instead of comparing ids for equality only', () => {
    let error: unknown;
    try {
      compileLast(
        oneFunction([], [], [], [...op('i32.const', 0), ...op('call_indirect', 0, 0), ...op('end')], (b) => {
          b.addType({ composite: { kind: 'func', params: [], results: [] }, final: false });
          b.addTable({ min: 1 });
        }),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BackendBailout);
    expect((error as BackendBailout).detail).toMatch(/^gc:/);
  });
});

describe('compare fusion', () => {
  it('a comparison right before br_if becomes one compare-and-branch with the constant folded', () => {
    const c = compileLast(
      oneFunction([I32], [], [], [...op('block'), ...op('local.get', 0), ...op('i32.const', 10), ...op('i32.lt_s'), ...op('br_if', 0), ...op('end'), ...op('end')]),
    );
    expect(lines(c, 'branch')).toEqual(['branchIf 2 32 r0 #10 L1']);
    expect(lines(c, 'intCompare')).toEqual([]);
  });

  it('if (i32.eqz x) jumps to the else branch on the negated condition', () => {
    const c = compileLast(oneFunction([I64], [], [], [...op('local.get', 0), ...op('i64.eqz'), ...op('if'), ...op('nop'), ...op('end'), ...op('end')]));
    expect(lines(c, 'branch')).toEqual(['branchIf 1 64 r0 #0 L2']);
  });

  it('a comparison before a br_if that carries values is materialized as an i32 first', () => {
    const c = compileLast(
      oneFunction([I32], [I32], [], [...op('block', I32), ...op('i32.const', 5), ...op('local.get', 0), ...op('local.get', 0), ...op('i32.gt_u'), ...op('br_if', 0), ...op('end'), ...op('end')]),
    );
    expect(lines(c, 'intCompare')).toEqual(['intCompare 5 32 r1 r1 r0']); // rhs is popped first
    expect(lines(c, 'branchOnZero')).toHaveLength(1);
  });
});

describe('misuse of the API', () => {
  it('a body whose function index names an import, or no function of the module, is a RangeError', () => {
    const m = oneFunction([], [], [], [...op('end')], (b) => b.addImport('env', 'f', { func: b.addType({ params: [], results: [] }) }));
    const compiler = new BaselineCompiler(new RecordingBackend());
    const body = m.module.codes[0]!;
    expect(body.funcIndex).toBe(1);
    expect(() => compiler.compile({ module: m.module, body: { ...body, funcIndex: 0 } })).toThrow(RangeError);
    expect(() => compiler.compile({ module: m.module, body: { ...body, funcIndex: 7 } })).toThrow(RangeError);
    expect(() => compiler.compile({ module: m.module, body })).not.toThrow();
  });

  it('too many locals bail out before any code is emitted (the decoder refuses them first; this guards other callers)', () => {
    const m = oneFunction([], [], [], [...op('end')]);
    const body = { ...m.module.codes[0]!, locals: [{ count: 30_000, type: I32 }, { count: 30_000, type: I64 }] };
    let error: unknown;
    try {
      new BaselineCompiler(new RecordingBackend()).compile({ module: m.module, body });
    } catch (e) {
      error = e;
    }
    expect((error as BackendBailout).reason).toBe(BailoutReason.TooManyLocals);
  });
});
