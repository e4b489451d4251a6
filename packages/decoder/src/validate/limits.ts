// Limits of memories and tables, including 64-bit address types, shared memories (threads) and
// custom page sizes.
// Spec: https://webassembly.github.io/spec/core/valid/types.html#limits
//       https://github.com/WebAssembly/custom-page-sizes/blob/main/proposals/custom-page-sizes/Overview.md
import { compileError } from '../errors.ts';
import type { Limits } from '../types.ts';

const describe = (n: bigint): string => (n >= 1n << 32n ? `0x${n.toString(16)}` : n.toString());

function checkMinMax(limits: Limits, offset: number, where: string): void {
  if (limits.max !== null && limits.min > limits.max) {
    throw compileError('size minimum must not be greater than maximum', `minimum ${describe(limits.min)} > maximum ${describe(limits.max)}`, offset, where);
  }
}

/** The largest page count a memory may declare: its address space divided by its page size. */
export function maxMemoryPages(limits: Limits): bigint {
  const bits = limits.address === 'i64' ? 64n : 32n;
  // With 1-byte pages the page count itself must stay representable in the address type.
  return limits.pageSizeLog2 === 0 ? (1n << bits) - 1n : 1n << (bits - BigInt(limits.pageSizeLog2));
}

export function checkMemoryType(limits: Limits, offset: number, where: string): void {
  if (limits.pageSizeLog2 !== 0 && limits.pageSizeLog2 !== 16) {
    throw compileError('invalid custom page size', `page size 2^${limits.pageSizeLog2}; only 1 and 65536 are allowed`, offset, where);
  }
  const max = maxMemoryPages(limits);
  const pages = limits.pageSizeLog2 === 16 ? (limits.address === 'i64' ? '2^48 pages (256TiB)' : '65536 pages (4GiB)') : `${describe(max)} pages`;
  if (limits.min > max || (limits.max !== null && limits.max > max)) {
    throw compileError(`memory size must be at most ${pages}`, `declared ${describe(limits.max !== null && limits.max > max ? limits.max : limits.min)} pages`, offset, where);
  }
  checkMinMax(limits, offset, where);
  if (limits.shared && limits.max === null) throw compileError('shared memory must have maximum', 'a shared memory declares no maximum', offset, where);
}

export function checkTableLimits(limits: Limits, offset: number, where: string): void {
  const max = limits.address === 'i64' ? (1n << 64n) - 1n : (1n << 32n) - 1n;
  if (limits.min > max || (limits.max !== null && limits.max > max)) {
    throw compileError(`table size must be at most ${limits.address === 'i64' ? '2^64-1' : '2^32-1'}`, `declared ${describe(limits.max ?? limits.min)} elements`, offset, where);
  }
  checkMinMax(limits, offset, where);
}
