// The entry trampoline, trap exit, host-call trampoline and stack-pointer reader, checked by
// disassembly against the frame layout documented at the top of src/trampolines.ts. Their
// behaviour is exercised natively by the backend conformance kit in @flint/runtime's tests (under
// qemu-user on other hosts), where every case enters through an entry trampoline, every trap
// leaves through the trap exit, and host calls, nested entries and the lazy stub run for real.

import { BailoutReason, ValueKind, isBackendBailout } from '@flint/backend';
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
      'cbnz x17, 0x7c', // nested: skip setting the limit
      'sub x17, sp, #0x80, lsl #12', // the outermost entry grants 512 KiB
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

  it('trap exit: records the trap PC, takes and clears the reason, unwinds to the entry frame', () => {
    expect(disassemble(emitTrapExit(HOST_STATE).code)).toEqual([
      'str x30, [x28, #72]', // VMCTX_TRAP_PC
      'ldr w0, [x28, #64]', // VMCTX_TRAP_REASON
      'str wzr, [x28, #64]',
      ...LOAD_HOST_STATE,
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

  it('lazy-compilation stub: jumps through a filled slot, else saves x0-x7/d0-d7 around compile(vmctx, index)', () => {
    const texts = disassemble(emitLazyCompileStub(42, 0x5000n, 0x6000n, 200).code);
    expect(texts.slice(0, 8)).toEqual([
      'mov w16, #0x5000', // small addresses take the zero-extending w form
      'ldr x16, [x16]',
      'cbz x16, 0x10',
      'br x16',
      'stp x29, x30, [sp, #-144]!',
      'mov x29, sp',
      'stp x0, x1, [sp, #16]',
      'stp d0, d1, [sp, #80]',
    ]);
    expect(texts.slice(12, 19)).toEqual(['stp x6, x7, [sp, #64]', 'stp d6, d7, [sp, #128]', 'mov x0, x28', 'mov w1, #0x2a', 'mov w16, #0x6000', 'blr x16', 'cbz x0, 0x78']);
    expect(texts.slice(-8)).toEqual([
      'ldp x6, x7, [sp, #64]',
      'ldp d6, d7, [sp, #128]',
      'ldp x29, x30, [sp], #144', // sp and x30 exactly as the caller left them
      'br x16',
      'mov w16, #0xc8', // the failure status, 200
      'str w16, [x28, #64]',
      'ldr x16, [x28, #88]',
      'blr x16',
    ]);
    expect(texts).toContain('mov x16, x0');
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
  it('bails out on v128 and on more than 1024 parameters or results', () => {
    const tooMany = { params: [], results: Array<ValueKind>(1025).fill(ValueKind.I32) };
    for (const attempt of [
      () => emitEntryTrampoline(tooMany, HOST_STATE),
      () => emitHostCallTrampoline(tooMany, 0n, 0, HOST_STATE),
      () => emitEntryTrampoline({ params: [ValueKind.V128], results: [] }, HOST_STATE),
      () => emitHostCallTrampoline({ params: [], results: [ValueKind.V128] }, 0n, 0, HOST_STATE),
    ]) {
      let error: unknown;
      try {
        attempt();
      } catch (e) {
        error = e;
      }
      expect(isBackendBailout(error)).toBe(true);
      if (isBackendBailout(error)) expect([BailoutReason.UnsupportedFeature, BailoutReason.UnsupportedType]).toContain(error.reason);
    }
  });
});
