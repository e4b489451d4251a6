// Finished code in flat typed arrays: how compiled functions cross a worker boundary (the arrays'
// buffers are transferred, not cloned) and how the code cache stores them. Code is kept before
// relocation, so the same pack can be placed at any address by the one placement path
// (`CodeSpace.place`).

import type { FinishedCode, Relocation, TrapSite } from '@flint/backend';
import type { RelocKind, RelocTarget, TrapReason } from '@flint/backend';

/** Per function: code start, code length, first relocation, relocation count, first trap site, trap-site count. */
export const PACK_FUNCTION_STRIDE = 6;
/** Per relocation: at, kind, target, index, addend. */
export const PACK_RELOC_STRIDE = 5;
/** Per trap site: code offset, reason, wasm offset. */
export const PACK_TRAP_STRIDE = 3;

export interface PackedCode {
  readonly functions: Int32Array;
  readonly code: Uint8Array;
  readonly relocations: Int32Array;
  readonly trapSites: Int32Array;
}

/** The buffers to transfer when posting `packed` to another thread. */
export function packedBuffers(packed: PackedCode): ArrayBuffer[] {
  return [packed.functions.buffer, packed.code.buffer, packed.relocations.buffer, packed.trapSites.buffer] as ArrayBuffer[];
}

export function packFinishedCode(pieces: readonly FinishedCode[]): PackedCode {
  let codeBytes = 0;
  let relocCount = 0;
  let trapCount = 0;
  for (const piece of pieces) {
    codeBytes += piece.code.length;
    relocCount += piece.relocations.length;
    trapCount += piece.trapSites.length;
  }
  const functions = new Int32Array(pieces.length * PACK_FUNCTION_STRIDE);
  const code = new Uint8Array(codeBytes);
  const relocations = new Int32Array(relocCount * PACK_RELOC_STRIDE);
  const trapSites = new Int32Array(trapCount * PACK_TRAP_STRIDE);
  let c = 0;
  let r = 0;
  let t = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const f = i * PACK_FUNCTION_STRIDE;
    functions[f] = c;
    functions[f + 1] = piece.code.length;
    functions[f + 2] = r;
    functions[f + 3] = piece.relocations.length;
    functions[f + 4] = t;
    functions[f + 5] = piece.trapSites.length;
    code.set(piece.code, c);
    c += piece.code.length;
    for (const reloc of piece.relocations) {
      const at = r * PACK_RELOC_STRIDE;
      relocations[at] = reloc.at;
      relocations[at + 1] = reloc.kind;
      relocations[at + 2] = reloc.target;
      relocations[at + 3] = reloc.index;
      relocations[at + 4] = reloc.addend;
      r++;
    }
    for (const site of piece.trapSites) {
      const at = t * PACK_TRAP_STRIDE;
      trapSites[at] = site.codeOffset;
      trapSites[at + 1] = site.reason;
      trapSites[at + 2] = site.wasmOffset;
      t++;
    }
  }
  return { functions, code, relocations, trapSites };
}

export function packedFunctionCount(packed: PackedCode): number {
  return packed.functions.length / PACK_FUNCTION_STRIDE;
}

/**
 * The pieces of `packed` (code as views into the pack). Ranges are checked, so a pack from an
 * untrusted source (a cache file) cannot point outside its own arrays.
 */
export function unpackFinishedCode(packed: PackedCode): FinishedCode[] {
  const { functions, code, relocations, trapSites } = packed;
  if (functions.length % PACK_FUNCTION_STRIDE !== 0 || relocations.length % PACK_RELOC_STRIDE !== 0 || trapSites.length % PACK_TRAP_STRIDE !== 0) {
    throw new RangeError('packed code: array lengths are not whole records');
  }
  const pieces: FinishedCode[] = [];
  for (let f = 0; f < functions.length; f += PACK_FUNCTION_STRIDE) {
    const codeStart = functions[f]!;
    const codeLength = functions[f + 1]!;
    const relocStart = functions[f + 2]!;
    const relocCount = functions[f + 3]!;
    const trapStart = functions[f + 4]!;
    const trapCount = functions[f + 5]!;
    const index = f / PACK_FUNCTION_STRIDE;
    if (codeStart < 0 || codeLength < 0 || codeStart + codeLength > code.length) throw new RangeError(`packed code: function ${index} code range out of bounds`);
    if (relocStart < 0 || relocCount < 0 || (relocStart + relocCount) * PACK_RELOC_STRIDE > relocations.length) throw new RangeError(`packed code: function ${index} relocation range out of bounds`);
    if (trapStart < 0 || trapCount < 0 || (trapStart + trapCount) * PACK_TRAP_STRIDE > trapSites.length) throw new RangeError(`packed code: function ${index} trap-site range out of bounds`);
    const relocs: Relocation[] = [];
    for (let r = relocStart; r < relocStart + relocCount; r++) {
      const at = r * PACK_RELOC_STRIDE;
      const offset = relocations[at]!;
      if (offset < 0 || offset + 4 > codeLength) throw new RangeError(`packed code: function ${index} relocation at ${offset} lies outside its ${codeLength} code bytes`);
      relocs.push({
        at: offset,
        kind: relocations[at + 1]! as RelocKind,
        target: relocations[at + 2]! as RelocTarget,
        index: relocations[at + 3]!,
        addend: relocations[at + 4]!,
      });
    }
    const sites: TrapSite[] = [];
    for (let t = trapStart; t < trapStart + trapCount; t++) {
      const at = t * PACK_TRAP_STRIDE;
      sites.push({ codeOffset: trapSites[at]!, reason: trapSites[at + 1]! as TrapReason, wasmOffset: trapSites[at + 2]! });
    }
    pieces.push({ code: code.subarray(codeStart, codeStart + codeLength), relocations: relocs, trapSites: sites });
  }
  return pieces;
}
