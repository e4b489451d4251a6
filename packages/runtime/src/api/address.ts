// Address values of the JS API (memory64 / table64): sizes and indices of tables and memories
// are Numbers for the "i32" address type and BigInts for "i64", converted with the range checks
// of [EnforceRange].
// https://webassembly.github.io/spec/js-api/#address-value-to-u64

import { enforceRangeUnsignedLong, toBigInt, toEnum } from './webidl.ts';

export type AddressType = 'i32' | 'i64';
export const ADDRESS_TYPES: readonly AddressType[] = ['i32', 'i64'];

/** The `address` member of a descriptor (absent: "i32"). */
export function toAddressType(value: unknown, what: string): AddressType {
  return value === undefined ? 'i32' : toEnum(value, ADDRESS_TYPES, what);
}

const U64_MAX = (1n << 64n) - 1n;

/** AddressValueToU64: [EnforceRange] unsigned long for "i32", its BigInt analogue for "i64". */
export function addressValueToU64(value: unknown, address: AddressType, what: string): bigint {
  if (address === 'i32') return BigInt(enforceRangeUnsignedLong(value, what));
  const n = toBigInt(value);
  if (n < 0n || n > U64_MAX) throw new TypeError(`${what} ${n} is outside [0, 2^64)`);
  return n;
}

/** U64ToAddressValue: a Number for "i32", a BigInt for "i64". */
export function u64ToAddressValue(value: bigint | number, address: AddressType): number | bigint {
  return address === 'i64' ? BigInt(value) : Number(value);
}
