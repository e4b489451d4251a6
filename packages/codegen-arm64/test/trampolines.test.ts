// The entry trampoline, trap exit, host-call trampoline and stack-pointer reader, checked by
// disassembly against the frame layout documented at the top of src/trampolines.ts. Their
// behaviour is exercised natively by the backend conformance kit in @flint/runtime's tests (under
// qemu-user on other hosts), where every case enters through an entry trampoline, every trap
// leaves through the trap exit, and host calls, nested entries and the lazy stub run for real.

import { BailoutReason, HostState, TRAP_FRAME_CAPACITY, ValueKind, isBackendBailout } from '@flint/backend';
import { describe, expect, it } from 'vitest';
import { emitEntryTrampoline, emitHostCallTrampoline, emitLazyCompileStub, emitReadStackPointer, emitTrapExit } from '../src/trampolines.ts';
import { disassemble, hasObjdump } from './support/objdump.ts';

const HOST_STATE = 0x0000_1234_5678_9ab0n;
// movz/movk of HOST_STATE into x16, as objdump prints them.
const LOAD_HOST_STATE = ['mov x16, #0x9ab0', 'movk x16, #0x5678, lsl #16', 'movk x16, #0x1234, lsl #32'];
const SAVE_CALLEE_SAVED = [
  'stp x19, x20, [sp, #16]',
  'stp x21, x22, [sp, #32]',
  'stp x23, x24, [sp, #48]',
  'stp x25, x26, [sp, #64]',
  'stp x27, x28, [sp, #80]',
  'stp d8, d9, [sp, #96]',
  'stp d10, d11, [sp, #112]',
  'stp d12, d13, [sp, #128]',
  'stp d14, d15, [sp, #144]',
];
const ENTRY_EPILOGUE = [
  'ldr x9, [x29, #176]', // the entry's VM context
  'ldr x17, [x29, #160]', // previous saved host SP
  ...LOAD_HOST_STATE,
  'str x17, [x16]',
  'str x17, [x9, #80]', // VMCTX_SAVED_HOST_SP
  'ldr x17, [x29, #184]', // the value-stack top before this entry
  'str w17, [x16, #24]',
  ...SAVE_CALLEE_SAVED.map((s) => s.replace('stp', 'ldp')),
  'ldp x29, x30, [sp], #192',
  'ret',
];

describe.skipIf(!hasObjdump)('arm64 trampolines (skipped without aarch64-linux-gnu-objdump)', () => {
  it('entry: saves AAPCS64 callee-saved registers, takes the value frame, records the host SP, loads slots, calls, stores results', () => {
    const { code } = emitEntryTrampoline({ params: [ValueKind.I32, ValueKind.F64, ValueKind.I64], results: [ValueKind.F32] }, HOST_STATE);
    expect(disassemble(code)).toEqual([
      'stp x29, x30, [sp, #-192]!',
      'mov x29, sp',
      ...SAVE_CALLEE_SAVED,
      ...LOAD_HOST_STATE,
      'ldr w9, [x16, #24]', // HostState.valueStackTop: the frame the host wrote
      'str x9, [x29, #184]',
      'ldr x10, [x16, #16]', // HostState.valueStackBase
      'add x10, x10, x9',
      'add x9, x9, #0x40', // a 16-byte header and three 16-byte slots
      'str w9, [x16, #24]',
      'ldr x0, [x10]', // the callee's FuncRefRecord
      'ldr x28, [x0, #8]', // its VM context
      'ldr x19, [x0]', // and its current code
      'add x10, x10, #0x10', // the value slots
      'ldr x17, [x16]', // HostState.savedHostSp: nested entries keep the previous one
      'str x17, [x29, #160]',
      'str x10, [x29, #168]',
      'str x28, [x29, #176]',
      'cbnz x17, 0x90', // nested: skip setting the limit
      'mov x17, sp', // the outermost entry: limit = sp - HostState.stackBudget, at least stackFloor
      'ldr x9, [x16, #4152]',
      'sub x17, x17, x9',
      'ldr x9, [x16, #4160]',
      'cmp x17, x9',
      'csel x17, x17, x9, cs',
      'str x17, [x16, #8]',
      'ldr x17, [x16, #8]',
      'str x17, [x28, #24]', // VMCTX_STACK_LIMIT
      'str x29, [x16]',
      'str x29, [x28, #80]',
      'ldr x17, [x29, #168]',
      'ldr w0, [x17]',
      'ldr d0, [x17, #16]',
      'ldr x1, [x17, #32]',
      'blr x19',
      'ldr x17, [x29, #168]',
      'str s0, [x17]',
      'mov w0, #0x0',
      ...ENTRY_EPILOGUE,
    ]);
  });

  it('trap exit: records the trap PC and the frames it drops, takes and clears the reason, unwinds to the entry frame', () => {
    expect(disassemble(emitTrapExit(HOST_STATE).code)).toEqual([
      'str x30, [x28, #72]', // VMCTX_TRAP_PC
      ...LOAD_HOST_STATE,
      // Frame capture: frames[0] = the trap PC, then the return address of each frame record from
      // x29 up, while sp <= fp < savedHostSp.
      `str x30, [x16, #${HostState.trapFrames}]`,
      'mov w9, #0x1',
      'mov x10, x29',
      'ldr x11, [x16]',
      'mov x14, sp',
      `cmp x9, #0x${TRAP_FRAME_CAPACITY.toString(16)}`,
      'b.cs 0x60',
      'cmp x10, x14',
      'b.cc 0x60',
      'cmp x10, x11',
      'b.cs 0x60',
      'ldr x12, [x10, #8]',
      'add x13, x16, x9, lsl #3',
      `str x12, [x13, #${HostState.trapFrames}]`,
      'add x9, x9, #0x1',
      'ldr x13, [x10]',
      'cmp x13, x10', // the caller's frame must lie higher
      'b.ls 0x60',
      'mov x10, x13',
      'b 0x24',
      `str x9, [x16, #${HostState.trapFrameCount}]`,
      'ldr w0, [x28, #64]', // VMCTX_TRAP_REASON
      'str wzr, [x28, #64]',
      'ldr x29, [x16]',
      'mov sp, x29',
      ...ENTRY_EPILOGUE,
    ]);
  });

  it('host call: pushes a value frame (host id, arguments), records it, calls dispatcher(), pops it, traps on a non-zero status or a full stack', () => {
    const { code } = emitHostCallTrampoline({ params: [ValueKind.I64, ValueKind.F32], results: [ValueKind.I32] }, 0xabcd_0000n, 7, HOST_STATE);
    expect(disassemble(code)).toEqual([
      'stp x29, x30, [sp, #-16]!',
      'mov x29, sp',
      'sub sp, sp, #0x10',
      ...LOAD_HOST_STATE,
      'ldr w10, [x16, #24]', // HostState.valueStackTop: this call's frame
      'add x17, x10, #0x30', // a 16-byte header and two 16-byte slots
      'ldr w9, [x16, #28]', // HostState.valueStackSize
      'cmp x17, x9',
      'b.hi 0x94', // full: call stack exhausted
      'str w17, [x16, #24]',
      'str w10, [x16, #32]', // HostState.hostCallFrame
      'str x10, [sp]',
      'ldr x17, [x16, #16]', // HostState.valueStackBase
      'add x17, x17, x10',
      'mov w9, #0x7', // the host id
      'str w9, [x17]',
      'str x0, [x17, #16]',
      'str s0, [x17, #32]',
      'mov w16, #0xabcd0000',
      'blr x16',
      'cbnz w0, 0x88',
      ...LOAD_HOST_STATE,
      'ldr x10, [sp]',
      'ldr x17, [x16, #16]',
      'add x17, x17, x10',
      'ldr w0, [x17, #16]',
      'str w10, [x16, #24]', // the frame is popped after its last read
      'mov sp, x29',
      'ldp x29, x30, [sp], #16',
      'ret',
      'str w0, [x28, #64]',
      'ldr x16, [x28, #88]',
      'blr x16',
      'mov w16, #0xa', // TrapReason.CallStackExhausted
      'str w16, [x28, #64]',
      'ldr x16, [x28, #88]',
      'blr x16',
    ]);
  });

  it('lazy-compilation stub: jumps through a filled slot, else saves x0-x7/q0-q7 around compile(vmctx, index)', () => {
    const texts = disassemble(emitLazyCompileStub(42, 0x5000n, 0x6000n, 200).code);
    expect(texts.slice(0, 8)).toEqual([
      'mov w16, #0x5000', // small addresses take the zero-extending w form
      'ldr x16, [x16]',
      'cbz x16, 0x10',
      'br x16',
      'stp x29, x30, [sp, #-208]!',
      'mov x29, sp',
      'stp x0, x1, [sp, #16]',
      'stp q0, q1, [sp, #80]', // whole registers: an argument may be a v128
    ]);
    expect(texts.slice(12, 19)).toEqual(['stp x6, x7, [sp, #64]', 'stp q6, q7, [sp, #176]', 'mov x0, x28', 'mov w1, #0x2a', 'mov w16, #0x6000', 'blr x16', 'cbz x0, 0x78']);
    expect(texts.slice(-8)).toEqual([
      'ldp x6, x7, [sp, #64]',
      'ldp q6, q7, [sp, #176]',
      'ldp x29, x30, [sp], #208', // sp and x30 exactly as the caller left them
      'br x16',
      'mov w16, #0xc8', // the failure status, 200
      'str w16, [x28, #64]',
      'ldr x16, [x28, #88]',
      'blr x16',
    ]);
    expect(texts).toContain('mov x16, x0');
  });

  it('entry and host call: v128 values travel in q registers and as 16-byte stack slots', () => {
    // 9 v128 parameters: q0-q7 and [sp + 0] (16 bytes); 2 v128 results: q0 and [sp + 16].
    const signature = { params: Array<ValueKind>(9).fill(ValueKind.V128), results: [ValueKind.V128, ValueKind.V128] };
    const entry = disassemble(emitEntryTrampoline(signature, HOST_STATE).code);
    const call = entry.indexOf('blr x19');
    expect(entry.slice(call - 13, call - 7)).toEqual(['sub sp, sp, #0x20', 'ldr x9, [x17, #128]', 'str x9, [sp]', 'ldr x9, [x17, #136]', 'str x9, [sp, #8]', 'ldr q0, [x17]']);
    expect(entry[call - 1]).toBe('ldr q7, [x17, #112]');
    expect(entry.slice(call + 2, call + 7)).toEqual(['str q0, [x17]', 'ldr x9, [sp, #16]', 'str x9, [x17, #16]', 'ldr x9, [sp, #24]', 'str x9, [x17, #24]']);
    const host = disassemble(emitHostCallTrampoline(signature, 0x4000n, 7, HOST_STATE).code);
    // A value frame of a 16-byte header and 9 slots of 16 bytes.
    expect(host).toContain('add x17, x10, #0xa0');
    const firstQ = host.indexOf('str q0, [x17, #16]');
    expect(host.slice(firstQ + 7, firstQ + 12)).toEqual(['str q7, [x17, #128]', 'ldr x9, [x29, #16]', 'str x9, [x17, #144]', 'ldr x9, [x29, #24]', 'str x9, [x17, #152]']);
    const ret = host.indexOf('ret');
    expect(host.slice(ret - 8, ret - 3)).toEqual(['ldr q0, [x17, #16]', 'ldr x9, [x17, #32]', 'str x9, [x29, #32]', 'ldr x9, [x17, #40]', 'str x9, [x29, #40]']);
  });

  it('entry and host call: stack parameters go to the outgoing area, stack results come back from above it', () => {
    // 9 i64 parameters: x0-x7 and [sp + 0] (stackArgBytes 16); 2 i64 results: x0 and the stack
    // result area at [sp + 16 + 0] (stackResultBytes 16).
    const signature = { params: Array<ValueKind>(9).fill(ValueKind.I64), results: [ValueKind.I64, ValueKind.I64] };
    const entry = disassemble(emitEntryTrampoline(signature, HOST_STATE).code);
    const call = entry.indexOf('blr x19');
    expect(entry.slice(call - 11, call - 7)).toEqual(['sub sp, sp, #0x20', 'ldr x9, [x17, #128]', 'str x9, [sp]', 'ldr x0, [x17]']);
    expect(entry.slice(call + 1, call + 6)).toEqual(['ldr x17, [x29, #168]', 'str x0, [x17]', 'ldr x9, [sp, #16]', 'str x9, [x17, #16]', 'mov w0, #0x0']);
    expect(entry[call + 6]).toBe('mov sp, x29'); // the epilogue expects sp = x29
    const host = disassemble(emitHostCallTrampoline(signature, 0x4000n, 7, HOST_STATE).code);
    // A value frame of a 16-byte header and 9 slots (160 bytes); the caller’s area is just above the 16-byte frame record.
    expect(host[7]).toBe('add x17, x10, #0xa0');
    const firstStack = host.indexOf('ldr x9, [x29, #16]');
    expect(host.slice(firstStack, firstStack + 2)).toEqual(['ldr x9, [x29, #16]', 'str x9, [x17, #144]']);
    const ret = host.indexOf('ret');
    expect(host.slice(ret - 6, ret - 2)).toEqual(['ldr x0, [x17, #16]', 'ldr x9, [x17, #32]', 'str x9, [x29, #32]', 'str w10, [x16, #24]']);
  });

  it('serves the largest signature it accepts (every offset encodable)', () => {
    const most = { params: Array<ValueKind>(1024).fill(ValueKind.I32), results: Array<ValueKind>(1024).fill(ValueKind.F32) };
    expect(emitEntryTrampoline(most, HOST_STATE).code.length).toBeGreaterThan(1024 * 8);
    expect(emitHostCallTrampoline(most, 0x4000n, 1, HOST_STATE).code.length).toBeGreaterThan(1024 * 8);
  });

  it('reads the stack pointer', () => {
    expect(disassemble(emitReadStackPointer().code)).toEqual(['mov x0, sp', 'ret']);
  });
});

describe('arm64 trampolines: signatures they cannot serve', () => {
  it('bails out on more than 1024 parameters or results', () => {
    const tooMany = { params: [], results: Array<ValueKind>(1025).fill(ValueKind.I32) };
    for (const attempt of [() => emitEntryTrampoline(tooMany, HOST_STATE), () => emitHostCallTrampoline(tooMany, 0n, 0, HOST_STATE)]) {
      let error: unknown;
      try {
        attempt();
      } catch (e) {
        error = e;
      }
      expect(isBackendBailout(error)).toBe(true);
      if (isBackendBailout(error)) expect(error.reason).toBe(BailoutReason.UnsupportedFeature);
    }
  });
});
