// Runs every executable case of the backend conformance kit natively, on an arm64 CPU, with this
// package's MacroAssembler and trampolines. Meant for Node 18 for arm64 under qemu-user (see
// scripts/arm64/): bundled by tsup into one CommonJS file (no TypeScript at run time), it
// mirrors what @flint/runtime does on a real arm64 host — mmap RW → copy → mprotect RX →
// __clear_cache → call through the entry trampoline with koffi — and prints one JSON line:
// { cases, passed, failures: [{ name, problems }] }.
//
// koffi is loaded from the path in $KOFFI (koffi 2.16.3 for linux/arm64, installed by
// scripts/arm64/smoke.sh), not bundled.

import {
  HostState,
  JUMP_TABLE_ENTRY_SIZE,
  MemoryRecord,
  VMCTX_JUMP_TABLE,
  VMCTX_MEMORIES,
  VMCTX_MEMORY0_BASE,
  VMCTX_MEMORY0_LENGTH,
  VMCTX_TRAP_EXIT,
  VMContextLayout,
  ENTRY_VALUE_SLOT_SIZE,
  ValueKind,
  isTrapReason,
  type FinishedCode,
  type Signature,
} from '@flint/backend';
import { EXECUTABLE_CASES, runExecutableCase, type ExecuteFn, type WasmValue } from '@flint/backend/testing';
import { arm64Backend } from '../../src/index.ts';

declare const require: (id: string) => any;
declare const process: { env: Record<string, string | undefined>; arch: string; stdout: { write(s: string): void } };

const koffi = require(process.env['KOFFI'] ?? 'koffi');
const libc = koffi.load('libc.so.6');
const mmap = libc.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset)');
const mprotect = libc.func('int mprotect(void *addr, size_t length, int prot)');
const munmap = libc.func('int munmap(void *addr, size_t length)');
// The instruction-cache flush the runtime's flushInstructionCache hook uses on Linux arm64:
// libgcc's __clear_cache cleans the data cache and invalidates the instruction cache by line.
const clearCache = koffi.load('libgcc_s.so.1').func('void __clear_cache(void *begin, void *end)');
const entryProto = koffi.proto('uint32_t flint_entry(void *vmctx, void *code, void *values)');

const PAGE = 65536; // covers 4 KiB, 16 KiB and 64 KiB kernels
const PROT_READ = 1;
const PROT_WRITE = 2;
const PROT_EXEC = 4;
const MAP_PRIVATE_ANONYMOUS = 0x22;

interface Block {
  readonly pointer: unknown;
  readonly address: bigint;
  readonly length: number;
  readonly view: DataView;
  readonly bytes: Uint8Array;
}

const scratch = new DataView(new ArrayBuffer(8));
function pointerAt(address: bigint): unknown {
  scratch.setBigUint64(0, address, true);
  return koffi.decode(scratch.buffer, 'void *');
}

function map(bytes: number): Block {
  const length = Math.max(PAGE, Math.ceil(bytes / PAGE) * PAGE);
  const pointer = mmap(null, length, PROT_READ | PROT_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0);
  const address = BigInt(koffi.address(pointer));
  if (address === 0xffff_ffff_ffff_ffffn) throw new Error(`mmap of ${length} bytes failed`);
  const buffer: ArrayBuffer = koffi.view(pointer, length);
  return { pointer, address, length, view: new DataView(buffer), bytes: new Uint8Array(buffer) };
}

function unmap(block: Block): void {
  munmap(block.pointer, block.length);
}

/** Copies finished code into fresh pages, flips them to read/execute and flushes the icache. */
function place(code: FinishedCode): Block {
  if (code.relocations.length !== 0) throw new Error('the runner does not apply relocations');
  const block = map(code.code.length);
  block.bytes.set(code.code);
  if (mprotect(block.pointer, block.length, PROT_READ | PROT_EXEC) !== 0) throw new Error('mprotect failed');
  clearCache(block.pointer, pointerAt(block.address + BigInt(code.code.length)));
  return block;
}

const hostState = map(HostState.size);
const trapExit = place(arm64Backend.emitTrapExit(hostState.address));
const values = map(256 * ENTRY_VALUE_SLOT_SIZE);
const vm = map(VMContextLayout.size);
const entries = new Map<string, Block>();

function entryFor(signature: Signature): Block {
  const key = `${signature.params.join(',')}:${signature.results.join(',')}`;
  let entry = entries.get(key);
  if (entry === undefined) {
    entry = place(arm64Backend.emitEntryTrampoline(signature, hostState.address));
    entries.set(key, entry);
  }
  return entry;
}

function writeValue(at: number, kind: ValueKind, value: WasmValue): void {
  const view = values.view;
  if (kind === ValueKind.I32) view.setInt32(at, Number(value) | 0, true);
  else if (kind === ValueKind.F32) view.setFloat32(at, Number(value), true);
  else if (kind === ValueKind.F64) view.setFloat64(at, Number(value), true);
  else view.setBigInt64(at, BigInt.asIntN(64, BigInt(value)), true);
}

function readValue(at: number, kind: ValueKind): WasmValue {
  const view = values.view;
  if (kind === ValueKind.I32) return view.getInt32(at, true);
  if (kind === ValueKind.F32) return view.getFloat32(at, true);
  if (kind === ValueKind.F64) return view.getFloat64(at, true);
  return view.getBigInt64(at, true);
}

const execute: ExecuteFn = (code, signature, args, setup) => {
  const region = place(code);
  const owned: Block[] = [region];
  try {
    if (setup.memoryLength !== undefined) {
      const memory = map(setup.memoryLength);
      const records = map(MemoryRecord.size);
      owned.push(memory, records);
      memory.bytes.set(setup.memoryInit ?? []);
      records.view.setBigUint64(MemoryRecord.base, memory.address, true);
      records.view.setBigUint64(MemoryRecord.length, BigInt(setup.memoryLength), true);
      vm.view.setBigUint64(VMCTX_MEMORY0_BASE, memory.address, true);
      vm.view.setBigUint64(VMCTX_MEMORY0_LENGTH, BigInt(setup.memoryLength), true);
      vm.view.setBigUint64(VMCTX_MEMORIES, records.address, true);
    }
    if (setup.selfInJumpTable === true) {
      const table = map(JUMP_TABLE_ENTRY_SIZE);
      owned.push(table);
      table.view.setBigUint64(0, region.address, true);
      vm.view.setBigUint64(VMCTX_JUMP_TABLE, table.address, true);
    }
    vm.view.setBigUint64(VMCTX_TRAP_EXIT, trapExit.address, true);
    signature.params.forEach((kind, i) => writeValue(i * ENTRY_VALUE_SLOT_SIZE, kind, args[i]!));
    const status = koffi.call(entryFor(signature).pointer, entryProto, vm.pointer, region.pointer, values.pointer) as number;
    if (status !== 0) {
      if (!isTrapReason(status)) throw new Error(`generated code returned an unknown status ${status}`);
      return { kind: 'trap', reason: status };
    }
    return { kind: 'return', results: signature.results.map((kind, i) => readValue(i * ENTRY_VALUE_SLOT_SIZE, kind)) };
  } finally {
    for (const offset of [VMCTX_MEMORY0_BASE, VMCTX_MEMORY0_LENGTH, VMCTX_MEMORIES, VMCTX_JUMP_TABLE]) vm.view.setBigUint64(offset, 0n, true);
    for (const block of owned) unmap(block);
  }
};

const failures: { name: string; problems: string[] }[] = [];
for (const c of EXECUTABLE_CASES) {
  let problems: string[];
  try {
    problems = runExecutableCase(arm64Backend, c, execute);
  } catch (error) {
    problems = [`threw: ${String(error)}`];
  }
  if (problems.length > 0) failures.push({ name: c.name, problems });
}
process.stdout.write(`${JSON.stringify({ arch: process.arch, cases: EXECUTABLE_CASES.length, passed: EXECUTABLE_CASES.length - failures.length, failures })}\n`);
