// Runs every executable case of the backend conformance kit natively, on an arm64 CPU, with this
// package's MacroAssembler and trampolines. Meant for Node 18 for arm64 under qemu-user (see
// packages/codegen-arm64/emulation/): bundled by tsup into one CommonJS file (no TypeScript at run time), it
// mirrors what @flint/runtime does on a real arm64 host — mmap RW → copy → mprotect RX →
// __clear_cache → call through the entry trampoline with koffi — and prints one JSON line:
// { arch, koffi, groups: [{ group, cases, passed, failures: [{ name, problems }] }] } for the kit's
// cases, the kit's cases again with every forward branch in its long form (`farBranches`), and
// this package's own cases (arm64-cases.ts), and a 'host-calls' group checking host-call
// trampolines, nested entries and a trap inside a nested entry with koffi callbacks.
//
// koffi is loaded from the path in $KOFFI (koffi 2.16.3 for linux/arm64, installed by
// packages/codegen-arm64/emulation/smoke.sh), not bundled.

import {
  FuncRefRecord,
  HostState,
  ImportRecord,
  TableRecord,
  VMCTX_BUILTINS,
  VMCTX_GLOBALS,
  VMCTX_IMPORTED_FUNCTIONS,
  VMCTX_SIGNATURE_IDS,
  VMCTX_TABLES,
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
import { EXECUTABLE_CASES, runExecutableCase, type ExecutableCase, type ExecuteFn, type WasmValue } from '@flint/backend/testing';
import { ConvertKind, FloatBinaryKind, Imm, IntBinaryKind, ShiftKind, StackArea, TrapReason, computeCallLayout, type Backend } from '@flint/backend';
import { Arm64MacroAssembler, arm64Backend } from '../../src/index.ts';
import { vRegs, xRegs } from '../../src/regs.ts';
import { ARM64_CASES, OTHER_MARKER, THIS_MARKER, calleeBody, type Arm64CaseSetup } from './arm64-cases.ts';

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
// The second instance of the call cases (see Arm64CaseSetup); its stack limit 0 never trips.
const otherVm = map(VMContextLayout.size);
const callee = (() => {
  const masm = arm64Backend.createMacroAssembler();
  calleeBody(masm);
  return place(masm.finish());
})();
const VM_FIELDS_SET_BY_CASES = [
  VMCTX_MEMORY0_BASE, VMCTX_MEMORY0_LENGTH, VMCTX_MEMORIES, VMCTX_JUMP_TABLE, VMCTX_GLOBALS, VMCTX_IMPORTED_FUNCTIONS,
  VMCTX_TABLES, VMCTX_SIGNATURE_IDS, VMCTX_BUILTINS,
];
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
  else if (kind === ValueKind.V128) writeV128(view, at, value);
  else view.setBigInt64(at, BigInt.asIntN(64, BigInt(value)), true);
}

function readValue(at: number, kind: ValueKind): WasmValue {
  const view = values.view;
  if (kind === ValueKind.I32) return view.getInt32(at, true);
  if (kind === ValueKind.F32) return view.getFloat32(at, true);
  if (kind === ValueKind.F64) return view.getFloat64(at, true);
  if (kind === ValueKind.V128) return readV128(view, at);
  return view.getBigInt64(at, true);
}

/** A v128 is an unsigned 128-bit bigint, lane 0 in the low bits (16-byte value slots). */
function writeV128(view: DataView, at: number, value: WasmValue): void {
  const bits = BigInt.asUintN(128, BigInt(value));
  view.setBigUint64(at, BigInt.asUintN(64, bits), true);
  view.setBigUint64(at + 8, bits >> 64n, true);
}

function readV128(view: DataView, at: number): bigint {
  return view.getBigUint64(at, true) | (view.getBigUint64(at + 8, true) << 64n);
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
    const calls = setup as Arm64CaseSetup;
    if (calls.callee === true) owned.push(...setUpCalls(calls));
    vm.view.setBigUint64(VMCTX_TRAP_EXIT, trapExit.address, true);
    otherVm.view.setBigUint64(VMCTX_TRAP_EXIT, trapExit.address, true);
    signature.params.forEach((kind, i) => writeValue(i * ENTRY_VALUE_SLOT_SIZE, kind, args[i]!));
    const status = koffi.call(entryFor(signature).pointer, entryProto, vm.pointer, region.pointer, values.pointer) as number;
    if (status !== 0) {
      if (!isTrapReason(status)) throw new Error(`generated code returned an unknown status ${status}`);
      return { kind: 'trap', reason: status };
    }
    return { kind: 'return', results: signature.results.map((kind, i) => readValue(i * ENTRY_VALUE_SLOT_SIZE, kind)) };
  } finally {
    for (const offset of VM_FIELDS_SET_BY_CASES) vm.view.setBigUint64(offset, 0n, true);
    for (const block of owned) unmap(block);
  }
};

/** Import record, builtin table, table 0 of funcrefs and canonical type ids for the call cases. */
function setUpCalls(setup: Arm64CaseSetup): Block[] {
  vm.view.setBigUint64(VMCTX_GLOBALS, BigInt(THIS_MARKER), true);
  otherVm.view.setBigUint64(VMCTX_GLOBALS, BigInt(OTHER_MARKER), true);
  const imports = map(ImportRecord.size);
  imports.view.setBigUint64(ImportRecord.code, callee.address, true);
  imports.view.setBigUint64(ImportRecord.vmContext, otherVm.address, true);
  vm.view.setBigUint64(VMCTX_IMPORTED_FUNCTIONS, imports.address, true);
  const builtins = map(8 * 8);
  for (let i = 0; i < 8; i++) builtins.view.setBigUint64(i * 8, callee.address, true);
  vm.view.setBigUint64(VMCTX_BUILTINS, builtins.address, true);
  const entries = setup.table ?? [];
  const tables = map(TableRecord.size);
  const elements = map(entries.length * 8);
  const records = map(entries.length * FuncRefRecord.size);
  entries.forEach((entry, i) => {
    if (entry === null) return;
    const at = i * FuncRefRecord.size;
    records.view.setBigUint64(at + FuncRefRecord.code, callee.address, true);
    records.view.setBigUint64(at + FuncRefRecord.vmContext, entry.sameInstance ? vm.address : otherVm.address, true);
    records.view.setUint32(at + FuncRefRecord.typeId, entry.typeId, true);
    elements.view.setBigUint64(i * 8, records.address + BigInt(at), true);
  });
  tables.view.setBigUint64(TableRecord.base, elements.address, true);
  tables.view.setBigUint64(TableRecord.length, BigInt(entries.length), true);
  vm.view.setBigUint64(VMCTX_TABLES, tables.address, true);
  const ids = map(4 * Math.max(1, setup.signatureIds?.length ?? 0));
  setup.signatureIds?.forEach((id, i) => ids.view.setUint32(i * 4, id, true));
  vm.view.setBigUint64(VMCTX_SIGNATURE_IDS, ids.address, true);
  return [imports, builtins, tables, elements, records, ids];
}

function runGroup(group: string, backend: Backend, cases: readonly ExecutableCase[]) {
  const failures: { name: string; problems: string[] }[] = [];
  for (const c of cases) {
    let problems: string[];
    try {
      problems = runExecutableCase(backend, c, execute);
    } catch (error) {
      problems = [`threw: ${String(error)}`];
    }
    if (problems.length > 0) failures.push({ name: c.name, problems });
  }
  return { group, cases: cases.length, passed: cases.length - failures.length, failures };
}

const farBackend: Backend = { ...arm64Backend, createMacroAssembler: (options) => new Arm64MacroAssembler({ ...options, farBranches: true }) };
const groups = [
  runGroup('kit', arm64Backend, EXECUTABLE_CASES),
  runGroup('kit-far-branches', farBackend, EXECUTABLE_CASES),
  runGroup('arm64', arm64Backend, ARM64_CASES),
  runHostCalls(),
  runLazyStub(),
  runStackAreas(),
];
/**
 * Host calls through `emitHostCallTrampoline`, called from Wasm as import 0 (this instance):
 * hostId 1 returns 3x, hostId 2 fails with status 1 (a trap of the calling Wasm code), hostId 3
 * enters Wasm again (a nested entry whose callee traps) and returns 100 + that entry's status.
 * After every outermost return the thread's saved host SP must be back to 0.
 */
function runHostCalls() {
  const failures: { name: string; problems: string[] }[] = [];
  const i64 = { params: [ValueKind.I64], results: [ValueKind.I64] };
  const build = (body: (m: ReturnType<typeof arm64Backend.createMacroAssembler>) => void) => {
    const m = arm64Backend.createMacroAssembler();
    m.prologue(16);
    body(m);
    m.epilogue();
    return place(m.finish());
  };
  const x0 = arm64Backend.callingConvention.intArgs[0]!;
  const viaImport = build((m) => {
    m.callImport(0);
    m.intBinary(IntBinaryKind.Sub, 64, x0, x0, Imm.i32(1));
  });
  const traps = build((m) => m.trap(TrapReason.Unreachable));
  const dispatchProto = koffi.proto('uint32_t flint_dispatch(void *vmctx, uint32_t hostId, void *values)');
  const dispatch = koffi.register((_vmctx: unknown, hostId: number, slots: unknown) => {
    const view = new DataView(koffi.view(slots, 16) as ArrayBuffer);
    const x = view.getBigInt64(0, true);
    if (hostId === 1) view.setBigInt64(0, 3n * x, true);
    else if (hostId === 2) return TrapReason.Unreachable;
    else if (hostId === 3) {
      const inner = koffi.call(entryFor(i64).pointer, entryProto, vm.pointer, traps.pointer, values.pointer) as number;
      const nestedSp = hostState.view.getBigUint64(HostState.savedHostSp, true);
      view.setBigInt64(0, 100n + BigInt(inner) + (nestedSp === 0n ? 1000n : 0n), true);
    }
    return 0;
  }, koffi.pointer(dispatchProto));
  const dispatcher = BigInt(koffi.address(dispatch));
  const trampolines = [1, 2, 3].map((id) => place(arm64Backend.emitHostCallTrampoline(i64, dispatcher, id)));
  const imports = map(ImportRecord.size);
  vm.view.setBigUint64(VMCTX_IMPORTED_FUNCTIONS, imports.address, true);
  vm.view.setBigUint64(VMCTX_TRAP_EXIT, trapExit.address, true);
  const expectations: [string, number, bigint, { status: number; result?: bigint }][] = [
    ['host call returns its result (3x - 1)', 0, 14n, { status: 0, result: 41n }],
    ['host call failure traps the calling Wasm code', 1, 14n, { status: 1 }],
    ['nested entry trapping inside a host call unwinds only the inner entry (100 + 1 - 1)', 2, 14n, { status: 0, result: 100n }],
    ['host call after a nested trap still returns', 0, -2n, { status: 0, result: -7n }],
  ];
  for (const [name, trampoline, arg, want] of expectations) {
    imports.view.setBigUint64(ImportRecord.code, trampolines[trampoline]!.address, true);
    imports.view.setBigUint64(ImportRecord.vmContext, vm.address, true);
    values.view.setBigInt64(0, arg, true);
    const status = koffi.call(entryFor(i64).pointer, entryProto, vm.pointer, viaImport.pointer, values.pointer) as number;
    const problems: string[] = [];
    if (status !== want.status) problems.push(`status ${status}, expected ${want.status}`);
    if (status === 0 && want.result !== undefined && values.view.getBigInt64(0, true) !== want.result) {
      problems.push(`result ${values.view.getBigInt64(0, true)}, expected ${want.result}`);
    }
    if (hostState.view.getBigUint64(HostState.savedHostSp, true) !== 0n) problems.push('saved host SP not restored to 0');
    if (problems.length > 0) failures.push({ name, problems });
  }
  vm.view.setBigUint64(VMCTX_IMPORTED_FUNCTIONS, 0n, true);
  koffi.unregister(dispatch);
  return { group: 'host-calls', cases: expectations.length, passed: expectations.length - failures.length, failures };
}

/**
 * The lazy-compilation stub: the first call runs the koffi `compile` callback, which fills the
 * code slot and returns the target; later calls jump straight to the slot; a 0 from `compile`
 * leaves through the trap exit with the failure status. The target reads every argument
 * register the stub must preserve: x0 + 2*x1 + 4*x7 + trunc(d0) + trunc(d7).
 */
function runLazyStub() {
  const failures: { name: string; problems: string[] }[] = [];
  const cc = arm64Backend.callingConvention;
  const m = arm64Backend.createMacroAssembler();
  const [x0, x1, x7] = [cc.intArgs[0]!, cc.intArgs[1]!, cc.intArgs[7]!];
  const [d0, d7] = [cc.floatArgs[0]!, cc.floatArgs[7]!];
  m.prologue(16);
  m.shiftImm(ShiftKind.Shl, 64, x1, x1, 1);
  m.shiftImm(ShiftKind.Shl, 64, x7, x7, 2);
  m.intBinary(IntBinaryKind.Add, 64, x0, x0, x1);
  m.intBinary(IntBinaryKind.Add, 64, x0, x0, x7);
  m.convert(ConvertKind.I64TruncSatF64S, x1, d0);
  m.intBinary(IntBinaryKind.Add, 64, x0, x0, x1);
  m.convert(ConvertKind.I64TruncSatF64S, x1, d7);
  m.intBinary(IntBinaryKind.Add, 64, x0, x0, x1);
  m.epilogue();
  const target = place(m.finish());
  const slot = map(8);
  let compiles = 0;
  let fail = false;
  const compileProto = koffi.proto('uint64_t flint_compile(void *vmctx, uint32_t funcIndex)');
  const compile = koffi.register((_vmctx: unknown, funcIndex: number) => {
    compiles++;
    if (fail || funcIndex !== 42) return 0n;
    slot.view.setBigUint64(0, target.address, true);
    return target.address;
  }, koffi.pointer(compileProto));
  const stub = place(arm64Backend.emitLazyCompileStub(42, slot.address, BigInt(koffi.address(compile)), 200));
  const { I32, I64, F64 } = ValueKind;
  const sig = { params: [I32, I64, I64, I64, I64, I64, I64, I64, F64, F64, F64, F64, F64, F64, F64, F64], results: [I64] };
  // i32 x0 = 5, i64 x1..x7 = 10..16, f64 d0..d7 = 0.5 .. 7.5
  const args: WasmValue[] = [5, 10n, 11n, 12n, 13n, 14n, 15n, 16n, 100.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5];
  const expected = 5n + 2n * 10n + 4n * 16n + 100n + 7n;
  vm.view.setBigUint64(VMCTX_TRAP_EXIT, trapExit.address, true);
  const call = () => {
    sig.params.forEach((kind, i) => writeValue(i * ENTRY_VALUE_SLOT_SIZE, kind, args[i]!));
    return koffi.call(entryFor(sig).pointer, entryProto, vm.pointer, stub.pointer, values.pointer) as number;
  };
  const check = (name: string, status: number, wantStatus: number, wantCompiles: number) => {
    const problems: string[] = [];
    if (status !== wantStatus) problems.push(`status ${status}, expected ${wantStatus}`);
    if (status === 0 && values.view.getBigInt64(0, true) !== expected) problems.push(`result ${values.view.getBigInt64(0, true)}, expected ${expected}`);
    if (compiles !== wantCompiles) problems.push(`${compiles} compile calls, expected ${wantCompiles}`);
    if (problems.length > 0) failures.push({ name, problems });
  };
  fail = true;
  check('a failed compile leaves through the trap exit with the failure status', call(), 200, 1);
  fail = false;
  check('the first call compiles, keeps every argument register and jumps', call(), 0, 2);
  check('later calls jump through the filled slot without compiling', call(), 0, 2);
  koffi.unregister(compile);
  return { group: 'lazy-stub', cases: 3, passed: 3 - failures.length, failures };
}

/**
 * Stack parameters and stack results through the entry trampoline and the host-call trampoline.
 * The signature has 9 integer and 9 float parameters (one of each, plus an i32 and an f32, beyond
 * the 8 argument registers of their class) and 5 results (2 in registers, 3 in the stack result
 * area). `direct` computes its results from every stack parameter; `viaHost` forwards its
 * parameters to a host function of the same signature (import 0) and returns what it returns, so
 * the host-call trampoline must read the caller's outgoing area and fill its stack result area.
 */
function runStackAreas() {
  const failures: { name: string; problems: string[] }[] = [];
  const { I32, I64, F32, F64 } = ValueKind;
  const sig = {
    params: [I64, I64, I64, I64, I64, I64, I64, I64, I64, I32, F64, F64, F64, F64, F64, F64, F64, F64, F64, F32],
    results: [I64, F64, I64, I32, F32],
  };
  const layout = computeCallLayout(arm64Backend.callingConvention, sig);
  const at = (i: number) => {
    const loc = layout.params[i]!;
    if (loc.kind !== 'stack') throw new Error(`stack-areas: parameter ${i} is not on the stack`);
    return loc.offset;
  };
  const resultAt = (i: number) => {
    const loc = layout.results[i]!;
    if (loc.kind !== 'stack') throw new Error(`stack-areas: result ${i} is not on the stack`);
    return layout.stackArgBytes + loc.offset;
  };
  const [x0, x9, x10] = [xRegs[0]!, xRegs[9]!, xRegs[10]!];
  // x9, x10 and v16 are temporaries outside the argument registers, which hold live parameters.
  const [d0, v16] = [vRegs[0]!, vRegs[16]!];
  // direct: r0 = p0 + p8 + (p9 << 8), r1 = p10 + p18, r2 = p8, r3 = p9, r4 = p19.
  const direct = (() => {
    const m = arm64Backend.createMacroAssembler();
    m.prologue(16);
    m.loadStackArea(StackArea.Incoming, x9, at(8), 64);
    m.intBinary(IntBinaryKind.Add, 64, x0, x0, x9);
    m.storeStackArea(StackArea.Incoming, x9, resultAt(2), 64);
    m.loadStackArea(StackArea.Incoming, x10, at(9), 32);
    m.storeStackArea(StackArea.Incoming, x10, resultAt(3), 32);
    m.shiftImm(ShiftKind.Shl, 64, x10, x10, 8);
    m.intBinary(IntBinaryKind.Add, 64, x0, x0, x10);
    m.loadStackArea(StackArea.Incoming, v16, at(18), 64);
    m.floatBinary(FloatBinaryKind.Add, 64, d0, d0, v16);
    m.loadStackArea(StackArea.Incoming, v16, at(19), 32);
    m.storeStackArea(StackArea.Incoming, v16, resultAt(4), 32);
    m.epilogue();
    return place(m.finish());
  })();
  // viaHost: copy the stack parameters to an outgoing area, call import 0, copy its stack results back.
  const outgoing = layout.stackArgBytes + layout.stackResultBytes;
  const viaHost = (() => {
    const m = arm64Backend.createMacroAssembler();
    m.prologue(16);
    m.reserveStack(outgoing);
    for (const i of [8, 9, 18, 19]) {
      const temp = i < 18 ? x9 : v16;
      m.loadStackArea(StackArea.Incoming, temp, at(i), 64);
      m.storeStackArea(StackArea.Outgoing, temp, at(i), 64);
    }
    m.callImport(0);
    for (const i of [2, 3, 4]) {
      m.loadStackArea(StackArea.Outgoing, x9, resultAt(i), 64);
      m.storeStackArea(StackArea.Incoming, x9, resultAt(i), 64);
    }
    m.freeStack(outgoing);
    m.epilogue();
    return place(m.finish());
  })();
  const args: WasmValue[] = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, -(1n << 40n), 0x7fff_fff3, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 1000.25, -3.75];
  const expected: WasmValue[] = [1n - (1n << 40n) + (0x7fff_fff3n << 8n), 1000.75, -(1n << 40n), 0x7fff_fff3, -3.75];
  // koffi type names are global: one name per prototype of this process.
  const dispatchProto = koffi.proto('uint32_t flint_dispatch_stack_areas(void *vmctx, uint32_t hostId, void *values)');
  let seen: WasmValue[] = [];
  const dispatch = koffi.register((_vmctx: unknown, _hostId: number, slots: unknown) => {
    const view = new DataView(koffi.view(slots, sig.params.length * ENTRY_VALUE_SLOT_SIZE) as ArrayBuffer);
    seen = sig.params.map((kind, i) => readSlot(view, i * ENTRY_VALUE_SLOT_SIZE, kind));
    expected.forEach((value, i) => writeSlot(view, i * ENTRY_VALUE_SLOT_SIZE, sig.results[i]!, value));
    return 0;
  }, koffi.pointer(dispatchProto));
  const trampoline = place(arm64Backend.emitHostCallTrampoline(sig, BigInt(koffi.address(dispatch)), 1));
  const imports = map(ImportRecord.size);
  imports.view.setBigUint64(ImportRecord.code, trampoline.address, true);
  imports.view.setBigUint64(ImportRecord.vmContext, vm.address, true);
  vm.view.setBigUint64(VMCTX_IMPORTED_FUNCTIONS, imports.address, true);
  vm.view.setBigUint64(VMCTX_TRAP_EXIT, trapExit.address, true);
  const run = (name: string, code: Block, check: () => string[]) => {
    sig.params.forEach((kind, i) => writeValue(i * ENTRY_VALUE_SLOT_SIZE, kind, args[i]!));
    const status = koffi.call(entryFor(sig).pointer, entryProto, vm.pointer, code.pointer, values.pointer) as number;
    const problems = status === 0 ? check() : [`status ${status}, expected 0`];
    const results = sig.results.map((kind, i) => readValue(i * ENTRY_VALUE_SLOT_SIZE, kind));
    if (status === 0 && !results.every((value, i) => value === expected[i])) problems.push(`results ${results.map(String).join(', ')}, expected ${expected.map(String).join(', ')}`);
    if (problems.length > 0) failures.push({ name, problems });
  };
  run('entry trampoline passes stack parameters and collects stack results', direct, () => []);
  run('host-call trampoline reads stack parameters and fills stack results', viaHost, () =>
    seen.every((value, i) => value === args[i]) ? [] : [`host saw ${seen.map(String).join(', ')}, expected ${args.map(String).join(', ')}`],
  );
  vm.view.setBigUint64(VMCTX_IMPORTED_FUNCTIONS, 0n, true);
  unmap(imports);
  koffi.unregister(dispatch);
  return { group: 'stack-areas', cases: 2, passed: 2 - failures.length, failures };
}

function readSlot(view: DataView, at: number, kind: ValueKind): WasmValue {
  if (kind === ValueKind.I32) return view.getInt32(at, true);
  if (kind === ValueKind.F32) return view.getFloat32(at, true);
  if (kind === ValueKind.F64) return view.getFloat64(at, true);
  if (kind === ValueKind.V128) return readV128(view, at);
  return view.getBigInt64(at, true);
}

function writeSlot(view: DataView, at: number, kind: ValueKind, value: WasmValue): void {
  if (kind === ValueKind.I32) view.setInt32(at, Number(value) | 0, true);
  else if (kind === ValueKind.F32) view.setFloat32(at, Number(value), true);
  else if (kind === ValueKind.F64) view.setFloat64(at, Number(value), true);
  else if (kind === ValueKind.V128) writeV128(view, at, value);
  else view.setBigInt64(at, BigInt.asIntN(64, BigInt(value)), true);
}

const koffiVersion: string = koffi.version;
process.stdout.write(`${JSON.stringify({ arch: process.arch, koffi: koffiVersion, groups })}\n`);
