// The shared backend conformance kit, run for every backend the runtime knows: structural checks
// everywhere, and the executable cases natively on the backend matching this host.
import { describe, expect, it } from 'vitest';
import {
  JUMP_TABLE_ENTRY_SIZE,
  MemoryRecord,
  VMCTX_JUMP_TABLE,
  VMCTX_MEMORIES,
  VMCTX_MEMORY0_BASE,
  VMCTX_MEMORY0_LENGTH,
  VMContextLayout,
} from '@flint/backend';
import {
  EXECUTABLE_CASES,
  checkCallingConvention,
  checkIsaDescriptor,
  checkLabelResolution,
  checkMachineRegisters,
  runExecutableCase,
  type ExecuteFn,
} from '@flint/backend/testing';
import { CodeSpace } from '../src/code/code-space.ts';
import { backendForHost, registeredBackends } from '../src/native/backends.ts';
import { NativeInvoker } from '../src/native/invoker.ts';
import { NativeMemory } from '../src/native/native-memory.ts';

describe.each(registeredBackends().map((b) => [b.name, b] as const))('backend %s: structure', (_name, backend) => {
  it('describes its registers consistently, with a reason for every excluded register', () => {
    expect(checkMachineRegisters(backend.registers)).toEqual([]);
  });

  it('has calling conventions whose registers belong to their classes', () => {
    expect(checkCallingConvention(backend.callingConvention, backend.registers)).toEqual([]);
    expect(checkCallingConvention(backend.hostCallingConvention, backend.registers)).toEqual([]);
  });

  it('resolves MacroAssembler labels and rejects unbound ones', () => {
    expect(checkLabelResolution(backend)).toEqual([]);
  });

  it('describes its ISA completely (isa.json)', () => {
    expect(checkIsaDescriptor(backend)).toEqual([]);
  });
});

const onSupportedHost = process.platform === 'linux' && registeredBackends().some((b) => b.isa.nodeArch === process.arch);
const host = onSupportedHost ? backendForHost() : undefined;
const runnable = host !== undefined;

describe.skipIf(!runnable)(
  `backend ${host?.name ?? process.arch}: executable cases (need a Linux host with a backend for its architecture)`,
  () => {
    const space = new CodeSpace(host!.isa.instructionCache);
    const invoker = new NativeInvoker(host!, space);
    const vm = new NativeMemory(VMContextLayout.size);
    const execute: ExecuteFn = (code, signature, args, setup) => {
      const region = space.place([code], { trapExit: () => invoker.trapExitAddress });
      const owned: NativeMemory[] = [];
      try {
        if (setup.memoryLength !== undefined) {
          const memory = new NativeMemory(setup.memoryLength);
          const records = new NativeMemory(MemoryRecord.size);
          owned.push(memory, records);
          memory.bytes.set(setup.memoryInit ?? []);
          records.view.setBigUint64(MemoryRecord.base, memory.address, true);
          records.view.setBigUint64(MemoryRecord.length, BigInt(setup.memoryLength), true);
          vm.view.setBigUint64(VMCTX_MEMORY0_BASE, memory.address, true);
          vm.view.setBigUint64(VMCTX_MEMORY0_LENGTH, BigInt(setup.memoryLength), true);
          vm.view.setBigUint64(VMCTX_MEMORIES, records.address, true);
        }
        if (setup.selfInJumpTable === true) {
          const table = new NativeMemory(JUMP_TABLE_ENTRY_SIZE);
          owned.push(table);
          table.view.setBigUint64(0, region.addressOf(0), true);
          vm.view.setBigUint64(VMCTX_JUMP_TABLE, table.address, true);
        }
        return invoker.invoke(vm, region.addressOf(0), signature, args);
      } finally {
        // Leave no dangling pointers in the shared VM context for the next case.
        for (const offset of [VMCTX_MEMORY0_BASE, VMCTX_MEMORY0_LENGTH, VMCTX_MEMORIES, VMCTX_JUMP_TABLE]) {
          vm.view.setBigUint64(offset, 0n, true);
        }
        for (const memory of owned) memory.dispose();
        region.dispose();
      }
    };
    for (const c of EXECUTABLE_CASES) {
      it(c.name, () => {
        expect(runExecutableCase(host!, c, execute)).toEqual([]);
      });
    }
  },
);
