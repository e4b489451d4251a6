// Fixed operator signatures from the opcode table, parsed once into flat typed arrays indexed by
// operator id, so that the validator types most operators with two array reads and no branches
// on the operator. Also the lane counts of SIMD lane immediates.
// Spec: https://webassembly.github.io/spec/core/valid/instructions.html
import { Imm, OPERATORS, OPERATOR_ID_LIMIT } from '../opcodes.ts';
import { ValType } from '../types.ts';

/** Stands for the address type (i32 or i64) of the memory named by the operator's memarg. */
export const ADDRESS_TYPE = -1;

const CODES: Readonly<Record<string, number>> = {
  i: ValType.I32,
  l: ValType.I64,
  f: ValType.F32,
  d: ValType.F64,
  v: ValType.V128,
  a: ADDRESS_TYPE,
};

export interface SignatureTable {
  /** Per operator id: start of its params in `types`, or -1 when the operator has no fixed signature. */
  readonly paramStart: Int32Array;
  readonly paramCount: Uint8Array;
  readonly resultStart: Int32Array;
  readonly resultCount: Uint8Array;
  readonly types: Int32Array;
  /** Per operator id: the number of lanes a lane immediate may index (0 when it has none). */
  readonly laneCount: Uint8Array;
}

function laneCountOf(name: string, memSize: number, isLoadStoreLane: boolean): number {
  if (isLoadStoreLane) return 16 / memSize;
  if (name.startsWith('i8x16')) return 16;
  if (name.startsWith('i16x8')) return 8;
  if (name.startsWith('i32x4') || name.startsWith('f32x4')) return 4;
  if (name.startsWith('i64x2') || name.startsWith('f64x2')) return 2;
  return 0;
}

function buildSignatures(): SignatureTable {
  const paramStart = new Int32Array(OPERATOR_ID_LIMIT).fill(-1);
  const paramCount = new Uint8Array(OPERATOR_ID_LIMIT);
  const resultStart = new Int32Array(OPERATOR_ID_LIMIT);
  const resultCount = new Uint8Array(OPERATOR_ID_LIMIT);
  const laneCount = new Uint8Array(OPERATOR_ID_LIMIT);
  const pool: number[] = [];
  for (const op of OPERATORS) {
    if (op.immediate === Imm.Lane || op.immediate === Imm.MemArgLane) laneCount[op.id] = laneCountOf(op.name, op.memSize, op.immediate === Imm.MemArgLane);
    if (op.signature === null) continue;
    const colon = op.signature.indexOf(':');
    if (colon < 0) throw new Error(`opcode table: malformed signature '${op.signature}' of ${op.name}`);
    paramStart[op.id] = pool.length;
    for (let i = 0; i < colon; i++) pool.push(code(op.signature[i]!, op.name));
    paramCount[op.id] = colon;
    resultStart[op.id] = pool.length;
    for (let i = colon + 1; i < op.signature.length; i++) pool.push(code(op.signature[i]!, op.name));
    resultCount[op.id] = op.signature.length - colon - 1;
  }
  return { paramStart, paramCount, resultStart, resultCount, types: Int32Array.from(pool), laneCount };
}

function code(c: string, name: string): number {
  const t = CODES[c];
  if (t === undefined) throw new Error(`opcode table: unknown type code '${c}' in the signature of ${name}`);
  return t;
}

export const SIGNATURES: SignatureTable = buildSignatures();
