// Calling generated code from the host: every Wasm signature is reached through its entry
// trampoline, which has one C signature (see ENTRY_VALUE_SLOT_SIZE in @flint/backend), so one koffi
// prototype serves all calls.

import koffi from 'koffi';
import type { NativePointer } from './libc.ts';

let entryProto: ReturnType<typeof koffi.proto> | undefined;

/**
 * Calls an entry trampoline: `uint32_t entry(vmctx, code, values)`. Returns 0 when the Wasm code
 * returned normally, otherwise the trap reason.
 */
export function callEntry(entry: NativePointer, vmContext: NativePointer, code: NativePointer, values: NativePointer): number {
  entryProto ??= koffi.proto('uint32_t flint_entry(void *vmctx, void *code, void *values)');
  return koffi.call(entry, entryProto, vmContext, code, values) as number;
}

let readSpProto: ReturnType<typeof koffi.proto> | undefined;

/** Calls code emitted by `Backend.emitReadStackPointer`: the host stack pointer at the call. */
export function callReadStackPointer(code: NativePointer): bigint {
  readSpProto ??= koffi.proto('uint64_t flint_read_sp(void)');
  return BigInt(koffi.call(code, readSpProto) as number | bigint);
}
