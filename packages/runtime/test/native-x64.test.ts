// Native execution on x64: functions assembled with the x64 assembler are placed in executable
// memory through the code space and called through the x64 entry trampolines, including traps
// that must hand control back to the host cleanly. Expected values come from plain arithmetic.
import koffi from 'koffi';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BackendBailout,
  JUMP_TABLE_ENTRY_SIZE,
  RelocTarget,
  TrapReason,
  VMCTX_BUILTINS,
  VMCTX_JUMP_TABLE,
  VMCTX_SAVED_HOST_SP,
  VMCTX_STACK_LIMIT,
  VMCTX_TRAP_EXIT,
  VMCTX_TRAP_PC,
  VMCTX_TRAP_REASON,
  VMContextLayout,
  ValueKind,
  type FinishedCode,
  type Signature,
} from '@flint/backend';
import { Assembler, Cond, Gpr, Mem } from '@flint/codegen-x64/assembler';
import { x64Backend } from '@flint/codegen-x64';
import { CodeSpace } from '../src/code/code-space.ts';
import { backendForHost } from '../src/native/backends.ts';
import { NativeInvoker } from '../src/native/invoker.ts';
import { NativeError } from '../src/native/libc.ts';
import { NativeMemory } from '../src/native/native-memory.ts';

const { I32, I64, F32, F64 } = ValueKind;
const sig = (params: ValueKind[], results: ValueKind[]): Signature => ({ params, results });

function assemble(emit: (a: Assembler) => void): FinishedCode {
  const a = new Assembler();
  emit(a);
  return a.finish();
}

/** `mov dword [r15 + TRAP_REASON], reason; call [r15 + TRAP_EXIT]`: how generated code traps. */
function emitTrap(a: Assembler, reason: TrapReason): void {
  a.movMI(32, Mem.base(Gpr.r15, VMCTX_TRAP_REASON), reason);
  a.callM(Mem.base(Gpr.r15, VMCTX_TRAP_EXIT));
  a.ud2();
}

const isX64 = process.arch === 'x64' && process.platform === 'linux';

describe.skipIf(!isX64)('native execution on x64 (needs an x86-64 Linux host to run generated code)', () => {
  const space = new CodeSpace(backendForHost().isa.instructionCache);
  const invoker = new NativeInvoker(x64Backend, space);
  const vm = new NativeMemory(VMContextLayout.size);
  afterAll(() => {
    vm.dispose();
    space.dispose();
  });

  const place = (...pieces: FinishedCode[]) => space.place(pieces, { trapExit: () => invoker.trapExitAddress });
  const run = (code: FinishedCode | ReturnType<typeof place>, signature: Signature, args: (number | bigint)[]) => {
    const region = 'code' in code ? place(code) : code;
    return invoker.invoke(vm, region.addressOf(0), signature, args);
  };

  const add = place(assemble((a) => {
    a.leaRM(32, Gpr.rax, Mem.indexed(Gpr.rdi, Gpr.rsi, 1));
    a.ret();
  }));

  it('adds two i32 arguments', () => {
    expect(run(add, sig([I32, I32], [I32]), [40, 2])).toEqual({ kind: 'return', results: [42] });
    expect(run(add, sig([I32, I32], [I32]), [0x7fff_ffff, 1])).toEqual({ kind: 'return', results: [-0x8000_0000] });
  });

  it('runs a loop (sum of 1..n, wrapping at 32 bits)', () => {
    const sum = place(assemble((a) => {
      const top = a.newLabel();
      const done = a.newLabel();
      a.xorRR(32, Gpr.rax, Gpr.rax);
      a.bind(top);
      a.testRR(32, Gpr.rdi, Gpr.rdi);
      a.jcc(Cond.E, done);
      a.addRR(32, Gpr.rax, Gpr.rdi);
      a.subRI(32, Gpr.rdi, 1);
      a.jmp(top);
      a.bind(done);
      a.ret();
    }));
    const s = sig([I32], [I32]);
    expect(run(sum, s, [10])).toEqual({ kind: 'return', results: [55] });
    expect(run(sum, s, [100_000])).toEqual({ kind: 'return', results: [Number(BigInt.asIntN(32, (100_000n * 100_001n) / 2n))] });
  });

  it('calls between two functions, directly and through the jump table in the VM context', () => {
    const double = assemble((a) => {
      a.leaRM(32, Gpr.rax, Mem.indexed(Gpr.rdi, Gpr.rdi, 1));
      a.ret();
    });
    const direct = assemble((a) => {
      a.pushR(Gpr.rbp);
      a.movRR(64, Gpr.rbp, Gpr.rsp);
      a.callReloc(RelocTarget.Function, 2);
      a.addRI(32, Gpr.rax, 1);
      a.popR(Gpr.rbp);
      a.ret();
    });
    const viaTable = assemble((a) => {
      a.pushR(Gpr.rbp);
      a.movRR(64, Gpr.rbp, Gpr.rsp);
      a.movRM(64, Gpr.rax, Mem.base(Gpr.r15, VMCTX_JUMP_TABLE));
      a.callM(Mem.base(Gpr.rax, 1 * JUMP_TABLE_ENTRY_SIZE));
      a.addRI(32, Gpr.rax, 1000);
      a.popR(Gpr.rbp);
      a.ret();
    });
    const region = place(direct, viaTable, double);
    const table = new NativeMemory(4 * JUMP_TABLE_ENTRY_SIZE);
    table.view.setBigUint64(1 * JUMP_TABLE_ENTRY_SIZE, region.addressOf(2), true);
    vm.view.setBigUint64(VMCTX_JUMP_TABLE, table.address, true);
    const s = sig([I32], [I32]);
    expect(invoker.invoke(vm, region.addressOf(0), s, [20])).toEqual({ kind: 'return', results: [41] });
    expect(invoker.invoke(vm, region.addressOf(1), s, [5])).toEqual({ kind: 'return', results: [1010] });
    vm.view.setBigUint64(VMCTX_JUMP_TABLE, 0n, true);
    table.dispose();
  });

  it('does float math in SSE registers', () => {
    const fma = place(assemble((a) => {
      a.mulsdRR(0, 1);
      a.addsdRR(0, 2);
      a.ret();
    }));
    expect(run(fma, sig([F64, F64, F64], [F64]), [1.5, 4, 0.25])).toEqual({ kind: 'return', results: [6.25] });
    const sqrt = place(assemble((a) => {
      a.sqrtssRR(0, 0);
      a.ret();
    }));
    expect(run(sqrt, sig([F32], [F32]), [2.25])).toEqual({ kind: 'return', results: [1.5] });
    expect(run(sqrt, sig([F32], [F32]), [2])).toEqual({ kind: 'return', results: [Math.fround(Math.SQRT2)] });
  });

  it('passes every value kind through the entry trampoline in the right registers', () => {
    const mix = place(assemble((a) => {
      a.cvtsi2sdRR(32, 2, Gpr.rdi);
      a.cvtsi2sdRR(64, 3, Gpr.rsi);
      a.cvtss2sdRR(0, 0);
      a.addsdRR(0, 1);
      a.addsdRR(0, 2);
      a.addsdRR(0, 3);
      a.ret();
    }));
    expect(run(mix, sig([I32, I64, F32, F64], [F64]), [-3, 2n ** 40n, 0.5, 0.25])).toEqual({
      kind: 'return',
      results: [-3 + 2 ** 40 + 0.75],
    });
    const inc64 = place(assemble((a) => {
      a.leaRM(64, Gpr.rax, Mem.base(Gpr.rdi, 1));
      a.ret();
    }));
    expect(run(inc64, sig([I64], [I64]), [2n ** 62n])).toEqual({ kind: 'return', results: [2n ** 62n + 1n] });
    expect(run(inc64, sig([I64], [I64]), [-1n])).toEqual({ kind: 'return', results: [0n] });
  });

  it('returns an explicit trap to the host, records the trap PC, and keeps working afterwards', () => {
    let callEnd = 0;
    const trapping = place(assemble((a) => {
      a.pushR(Gpr.rbp);
      a.movRR(64, Gpr.rbp, Gpr.rsp);
      a.movMI(32, Mem.base(Gpr.r15, VMCTX_TRAP_REASON), TrapReason.Unreachable);
      a.callM(Mem.base(Gpr.r15, VMCTX_TRAP_EXIT));
      callEnd = a.offset;
      a.ud2();
    }));
    expect(run(trapping, sig([], [I32]), [])).toEqual({ kind: 'trap', reason: TrapReason.Unreachable });
    expect(vm.view.getBigUint64(VMCTX_TRAP_PC, true)).toBe(trapping.addressOf(0) + BigInt(callEnd));
    expect(vm.view.getBigUint64(VMCTX_SAVED_HOST_SP, true)).toBe(0n);
    expect(run(add, sig([I32, I32], [I32]), [1, 2])).toEqual({ kind: 'return', results: [3] });
    expect(run(trapping, sig([], [I32]), [])).toEqual({ kind: 'trap', reason: TrapReason.Unreachable });
  });

  it('traps with "call stack exhausted" on runaway recursion, repeatably, and recovers', () => {
    const recurse = place(assemble((a) => {
      const entry = a.newLabel();
      const overflow = a.newLabel();
      a.bind(entry);
      a.pushR(Gpr.rbp);
      a.movRR(64, Gpr.rbp, Gpr.rsp);
      a.cmpRM(64, Gpr.rsp, Mem.base(Gpr.r15, VMCTX_STACK_LIMIT));
      a.jcc(Cond.B, overflow);
      a.subRI(64, Gpr.rsp, 16);
      a.callLabel(entry);
      a.movRR(64, Gpr.rsp, Gpr.rbp);
      a.popR(Gpr.rbp);
      a.ret();
      a.bind(overflow);
      emitTrap(a, TrapReason.CallStackExhausted);
    }));
    for (let i = 0; i < 3; i++) {
      expect(run(recurse, sig([], [I32]), [])).toEqual({ kind: 'trap', reason: TrapReason.CallStackExhausted });
      expect(vm.view.getBigUint64(VMCTX_SAVED_HOST_SP, true)).toBe(0n);
      expect(run(add, sig([I32, I32], [I32]), [i, 100])).toEqual({ kind: 'return', results: [i + 100] });
    }
  });

  it('unwinds only the inner Wasm activation when a trap happens inside a host callback', () => {
    const trapping = place(assemble((a) => emitTrap(a, TrapReason.IntegerOverflow)));
    let inner: unknown;
    const callbackType = koffi.proto('int32_t flint_test_host_callback()');
    const callback = koffi.register(() => {
      inner = invoker.invoke(vm, trapping.addressOf(0), sig([], [I32]), []);
      return 41;
    }, koffi.pointer(callbackType));
    const builtins = new NativeMemory(8);
    builtins.view.setBigUint64(0, koffi.address(callback), true);
    vm.view.setBigUint64(VMCTX_BUILTINS, builtins.address, true);
    const outer = place(assemble((a) => {
      a.pushR(Gpr.rbp);
      a.movRR(64, Gpr.rbp, Gpr.rsp);
      a.movRM(64, Gpr.rax, Mem.base(Gpr.r15, VMCTX_BUILTINS));
      a.callM(Mem.base(Gpr.rax, 0));
      a.addRI(32, Gpr.rax, 1);
      a.popR(Gpr.rbp);
      a.ret();
    }));
    try {
      expect(run(outer, sig([], [I32]), [])).toEqual({ kind: 'return', results: [42] });
      expect(inner).toEqual({ kind: 'trap', reason: TrapReason.IntegerOverflow });
      expect(vm.view.getBigUint64(VMCTX_SAVED_HOST_SP, true)).toBe(0n);
    } finally {
      vm.view.setBigUint64(VMCTX_BUILTINS, 0n, true);
      koffi.unregister(callback);
      builtins.dispose();
    }
  });

  it('refuses signatures the entry trampoline cannot pass (v128), and wrong argument counts, with typed errors', () => {
    expect(() => invoker.entryFor(sig([ValueKind.V128], [I64]))).toThrow(BackendBailout);
    expect(() => invoker.invoke(vm, add.addressOf(0), sig([I32, I32], [I32]), [1])).toThrow(NativeError);
  });

  it('generates one entry trampoline per signature', () => {
    const s = sig([I32, F64], [I64]);
    const first = invoker.entryFor(s);
    expect(invoker.entryFor(sig([I32, F64], [I64]))).toBe(first);
    expect(invoker.entryFor(sig([F64, I32], [I64]))).not.toBe(first);
  });
});
