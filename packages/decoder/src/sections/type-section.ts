// The type section: recursion groups of subtypes over function, struct and array types, with
// the custom-descriptors `describes` / `descriptor` clauses.
// Spec: https://webassembly.github.io/spec/core/binary/types.html#recursive-types
import type { CompositeType, FieldType, SubType, ValType } from '../types.ts';
import type { Reader } from '../reader.ts';
import { readMutability, readStorageType, readValType } from '../read-types.ts';
import { ImplementationLimits as L } from '../limits.ts';
import type { DecodeContext } from './context.ts';
import { readCount } from './context.ts';

const REC = 0x4e;
const SUB = 0x50;
const SUB_FINAL = 0x4f;
const DESCRIBES = 0x4c;
const DESCRIPTOR = 0x4d;
const FUNC = 0x60;
const STRUCT = 0x5f;
const ARRAY = 0x5e;

function readFieldType(r: Reader): FieldType {
  const type = readStorageType(r);
  return { type, mutable: readMutability(r) };
}

function readValTypes(r: Reader, what: string, limit: number): ValType[] {
  const count = readCount(r, what, limit);
  const types: ValType[] = [];
  for (let i = 0; i < count; i++) types.push(readValType(r));
  return types;
}

function readComposite(r: Reader): CompositeType {
  const at = r.offset;
  const form = r.u8();
  switch (form) {
    case FUNC: {
      const params = readValTypes(r, 'params', L.maxParams);
      const results = readValTypes(r, 'results', L.maxReturns);
      return { kind: 'func', params, results };
    }
    case STRUCT: {
      const count = readCount(r, 'struct fields', L.maxStructFields);
      const fields: FieldType[] = [];
      for (let i = 0; i < count; i++) fields.push(readFieldType(r));
      return { kind: 'struct', fields };
    }
    case ARRAY:
      return { kind: 'array', element: readFieldType(r) };
    default:
      // Type constructors are one-byte negative LEB128 values; a continuation bit makes the encoding too long.
      if (form & 0x80) r.fail('integer representation too long', `type constructor 0x${form.toString(16)} continues`, at);
      return r.fail('malformed definition type', `0x${form.toString(16)} is not a function, struct or array type`, at);
  }
}

function readSubType(r: Reader, recGroupStart: number, recGroupSize: number): SubType {
  const offset = r.offset;
  let final = true;
  const supertypes: number[] = [];
  const b = r.peekU8();
  if (b === SUB || b === SUB_FINAL) {
    r.pos++;
    final = b === SUB_FINAL;
    // Wasm 3.0 allows one supertype, but that is a validation rule: here the vector is only
    // bounded by the type limit (entries are read one by one, never pre-allocated).
    const count = readCount(r, 'supertypes', L.maxTypes);
    for (let i = 0; i < count; i++) supertypes.push(r.u32());
  }
  let describes = -1;
  let descriptor = -1;
  if (r.peekU8() === DESCRIBES) {
    r.pos++;
    describes = r.u32();
  }
  if (r.peekU8() === DESCRIPTOR) {
    r.pos++;
    descriptor = r.u32();
  }
  const composite = readComposite(r);
  return { final, supertypes, composite, recGroupStart, recGroupSize, describes, descriptor, offset };
}

export function decodeTypeSection(r: Reader, ctx: DecodeContext): void {
  const types = ctx.module.types;
  const count = readCount(r, 'types', L.maxTypes);
  for (let i = 0; i < count; i++) {
    r.at('type', types.length);
    if (r.peekU8() === REC) {
      r.pos++;
      const size = readCount(r, 'types in a recursion group', L.maxRecGroupSize);
      if (types.length + size > L.maxTypes) r.fail('too many types', `more than ${L.maxTypes}`);
      const start = types.length;
      for (let j = 0; j < size; j++) {
        r.at('type', types.length);
        types.push(readSubType(r, start, size));
      }
    } else {
      if (types.length + 1 > L.maxTypes) r.fail('too many types', `more than ${L.maxTypes}`);
      types.push(readSubType(r, types.length, 1));
    }
  }
}
