// The validator's own operator loop for function bodies. It is the generic loop of
// `operators.ts` specialised to one visitor: the operators that make up most of real code
// (locals, constants, loads and stores, numeric operators, blocks, branches, calls) are decoded
// and typed right here, behind one `switch` on the opcode byte, with their immediates read
// straight from the bytes. Everything else — prefixed operators, rare encodings, and any
// operator the fast path cannot accept as it stands (a type mismatch, unreachable code, a
// 64-bit memory) — is decoded again from its first byte by `OperatorReader.readOperator` and
// handed to `FunctionValidator.visit`, whose rules decide and word the error. A fast path
// only ever accepts; whatever it does not accept is judged by the general rules (operators such
// as `end`, `br_if` or `call` call their general handler directly once their immediates are read).
// Why a second loop: the generic loop calls its visitor through an interface and the validator
// then dispatches through a table of handlers; both call sites see many targets, and the
// validator is the one visitor that runs over every byte of every module (measurements in the
// README's Performance section).
// Spec: https://webassembly.github.io/spec/core/appendix/algorithm.html
import { Imm, OPERATOR_BY_ID } from '../opcodes.ts';
import type { OperatorInfo } from '../opcodes.ts';
import type { OperatorReader } from '../operators.ts';
import type { CodeSpan } from '../types.ts';
import { ValType as V } from '../types.ts';
import type { FunctionValidator } from './function-validator.ts';
import { FrameKind } from './frames.ts';
import { EMPTY_LIST } from './module-context.ts';
import { HANDLERS } from './handlers.ts';
import { ADDRESS_TYPE, SIGNATURES } from './signatures.ts';

/** The single-byte operator with this code; the loop's `case` labels are checked against it at load. */
function single(code: number, name: string): OperatorInfo {
  const op = OPERATOR_BY_ID[code];
  if (op === undefined || op.name !== name) throw new Error(`validator body loop: opcode 0x${code.toString(16)} is not ${name} in the opcode table`);
  return op;
}

const UNREACHABLE = single(0x00, 'unreachable');
single(0x02, 'block');
single(0x03, 'loop');
single(0x04, 'if');
const ELSE = single(0x05, 'else');
const END = single(0x0b, 'end');
const BR = single(0x0c, 'br');
const BR_IF = single(0x0d, 'br_if');
const RETURN = single(0x0f, 'return');
const CALL = single(0x10, 'call');
const DROP = single(0x1a, 'drop');
const SELECT = single(0x1b, 'select');
single(0x20, 'local.get');
single(0x21, 'local.set');
single(0x22, 'local.tee');
single(0x23, 'global.get');
single(0x24, 'global.set');
single(0x41, 'i32.const');
single(0x42, 'i64.const');
single(0x43, 'f32.const');
single(0x44, 'f64.const');

const handlerOf = (op: OperatorInfo) => {
  const handler = HANDLERS[op.id];
  if (handler === undefined) throw new Error(`validator body loop: no handler for ${op.name}`);
  return handler;
};
const ON_UNREACHABLE = handlerOf(UNREACHABLE);
const ON_ELSE = handlerOf(ELSE);
const ON_END = handlerOf(END);
const ON_BR = handlerOf(BR);
const ON_BR_IF = handlerOf(BR_IF);
const ON_RETURN = handlerOf(RETURN);
const ON_CALL = handlerOf(CALL);
const ON_DROP = handlerOf(DROP);
const ON_SELECT = handlerOf(SELECT);

/** Per opcode byte: 1 for single-byte operators with no immediates and a fixed signature (numeric operators, `nop`). */
const FIXED_PLAIN = new Uint8Array(256);
/** Per opcode byte: log2 of the natural alignment of single-byte loads and stores (memarg, fixed signature), else 0xff. */
const MAX_ALIGN = new Uint8Array(256).fill(0xff);
/**
 * Fixed signatures of single-byte operators, unrolled: at most two operands and one result
 * (checked at load), the address type read as i32 (the fast path only types 32-bit memories).
 * `PARAM_COUNT` per byte; `TOP`/`SECOND` the expected operand types from the top of the stack;
 * `RESULT` the result type or 0 for none.
 */
const PARAM_COUNT = new Uint8Array(256);
const TOP = new Int32Array(256);
const SECOND = new Int32Array(256);
const RESULT = new Int32Array(256);
for (let code = 0; code < 256; code++) {
  const op = OPERATOR_BY_ID[code];
  if (op === undefined || op.signature === null) continue;
  if (op.immediate === Imm.None) FIXED_PLAIN[code] = 1;
  else if (op.immediate === Imm.MemArg) MAX_ALIGN[code] = 31 - Math.clz32(op.memSize);
  else continue;
  const pCount = SIGNATURES.paramCount[code]!;
  const pStart = SIGNATURES.paramStart[code]!;
  const rCount = SIGNATURES.resultCount[code]!;
  if (pCount > 2 || rCount > 1) throw new Error(`validator body loop: ${op.name} has more operands or results than the fast path types`);
  const asI32 = (t: number): number => (t === ADDRESS_TYPE ? V.I32 : t);
  PARAM_COUNT[code] = pCount;
  if (pCount >= 1) TOP[code] = asI32(SIGNATURES.types[pStart + pCount - 1]!);
  if (pCount === 2) SECOND[code] = asI32(SIGNATURES.types[pStart]!);
  RESULT[code] = rCount === 1 ? asI32(SIGNATURES.types[SIGNATURES.resultStart[code]!]!) : 0;
}

/**
 * Types single-byte operator `code` from its fixed signature when its operands are exactly the
 * signature's types and the stack has room for its result; returns false, changing nothing, otherwise.
 */
function typeFixed(v: FunctionValidator, code: number): boolean {
  const n = PARAM_COUNT[code]!;
  let sp = v.sp;
  const stack = v.stack;
  if (n !== 0) {
    if (sp - v.ctlHeight[v.depth - 1]! < n || stack[sp - 1] !== TOP[code]) return false;
    if (n === 2 && stack[sp - 2] !== SECOND[code]) return false;
    sp -= n;
  }
  const result = RESULT[code]!;
  if (result !== 0) {
    if (sp === stack.length) return false;
    stack[sp++] = result;
  }
  v.sp = sp;
  return true;
}

/**
 * The index just past a LEB128 starting at `at` when it ends within 4 bytes (such a value is
 * always well-formed for any integer type), else -1.
 */
function shortLebEnd(bytes: Uint8Array, at: number, end: number): number {
  const limit = at + 4 < end ? at + 4 : end;
  for (let p = at; p < limit; p++) if (bytes[p]! < 0x80) return p + 1;
  return -1;
}

/**
 * Validates one function body: `v` must have begun the function (`beginFunction`); `ops` is the
 * operator reader whose reader and immediates record this loop uses. `funcIndex` names the body
 * in decoding errors. Stops after the body's final `end`; the caller then calls `v.finish`.
 */
export function validateFunctionBody(v: FunctionValidator, ops: OperatorReader, span: CodeSpan, funcIndex: number): void {
  const r = ops.begin(span, 0, '');
  // Decoding errors name the function ("function #3"); the text is made only if one is thrown.
  r.at('function', funcIndex);
  const imm = ops.imm;
  const bytes = span.bytes;
  const end = bytes.length;
  const base = span.offset;
  const ctx = v.ctx;
  const seen = ctx.seenOperators;
  const globals = ctx.module.globals;
  const memory0 = ctx.module.memories[0];
  const memory0IsI32 = memory0 !== undefined && memory0.address === 'i32';
  let pos = 0;
  while (!v.finished) {
    if (pos >= end) {
      r.pos = pos;
      r.fail('END opcode expected', `${v.depth} block(s) still open at the end of the body`);
    }
    const at = pos;
    const first = bytes[pos++]!;
    // A one-byte LEB128 immediate, or 0x80 when it is longer (or missing): then the generic path reads it.
    const next = pos < end ? bytes[pos]! : 0x80;
    switch (first) {
      case 0x20: {
        // local.get
        let index = next;
        let after = pos + 1;
        if (next >= 0x80) {
          r.pos = pos;
          index = r.u32();
          after = r.pos;
        }
        if (index < v.numLocals && v.localInit[index] === 1) {
          pos = after;
          seen[first] = 1;
          v.push(v.localTypes[index]!);
          continue;
        }
        break;
      }
      case 0x21: // local.set
      case 0x22: {
        // local.tee: the operand stays, and it already has the local's type.
        let index = next;
        let after = pos + 1;
        if (next >= 0x80) {
          r.pos = pos;
          index = r.u32();
          after = r.pos;
        }
        if (index < v.numLocals) {
          const sp = v.sp;
          if (sp > v.ctlHeight[v.depth - 1]! && v.stack[sp - 1] === v.localTypes[index]) {
            pos = after;
            seen[first] = 1;
            if (first === 0x21) v.sp = sp - 1;
            if (v.localInit[index] !== 1) v.markLocalSet(index);
            continue;
          }
        }
        break;
      }
      case 0x23: {
        // global.get
        if (next < 0x80 && next < globals.length) {
          pos++;
          seen[first] = 1;
          v.push(globals[next]!.type);
          continue;
        }
        break;
      }
      case 0x24: {
        // global.set
        if (next < 0x80 && next < globals.length) {
          const global = globals[next]!;
          const sp = v.sp;
          if (global.mutable && sp > v.ctlHeight[v.depth - 1]! && v.stack[sp - 1] === global.type) {
            pos++;
            seen[first] = 1;
            v.sp = sp - 1;
            continue;
          }
        }
        break;
      }
      case 0x41: {
        // i32.const: only the encoding needs checking (a LEB128 of up to 4 bytes always fits).
        if (next < 0x80) pos++;
        else {
          const after = shortLebEnd(bytes, pos, end);
          if (after >= 0) pos = after;
          else {
            r.pos = pos;
            r.s32();
            pos = r.pos;
          }
        }
        seen[first] = 1;
        v.push(V.I32);
        continue;
      }
      case 0x42: {
        // i64.const
        if (next < 0x80) pos++;
        else {
          const after = shortLebEnd(bytes, pos, end);
          if (after >= 0) pos = after;
          else {
            r.pos = pos;
            r.s64();
            pos = r.pos;
          }
        }
        seen[first] = 1;
        v.push(V.I64);
        continue;
      }
      case 0x43: {
        // f32.const
        if (end - pos < 4) break;
        pos += 4;
        seen[first] = 1;
        v.push(V.F32);
        continue;
      }
      case 0x44: {
        // f64.const
        if (end - pos < 8) break;
        pos += 8;
        seen[first] = 1;
        v.push(V.F64);
        continue;
      }
      case 0x28: case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d: case 0x2e: case 0x2f:
      case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x36: case 0x37:
      case 0x38: case 0x39: case 0x3a: case 0x3b: case 0x3c: case 0x3d: case 0x3e: {
        // Loads and stores on memory 0 with a one-byte alignment and an offset of at most 4
        // LEB128 bytes: any alignment up to natural is fine, and the offset is below 2^28, so
        // in range of any memory.
        if (next > MAX_ALIGN[first]! || !memory0IsI32) break;
        const after = shortLebEnd(bytes, pos + 1, end);
        if (after < 0 || !typeFixed(v, first)) break;
        pos = after;
        seen[first] = 1;
        continue;
      }
      case 0x02: // block
      case 0x03: // loop
      case 0x04: {
        // if: a block type of [] or one numeric value type; others take the generic path.
        let results: number;
        if (next === 0x40) results = EMPTY_LIST;
        else if (next >= V.V128 && next <= V.I32) results = ctx.valueList(next);
        else break;
        if (!v.tryEnterBlock(first === 0x02 ? FrameKind.Block : first === 0x03 ? FrameKind.Loop : FrameKind.If, results)) break;
        pos++;
        seen[first] = 1;
        continue;
      }
      case 0x0b: {
        // end
        if (v.tryEnd()) {
          seen[first] = 1;
          continue;
        }
        v.op = END;
        v.offset = base + at;
        seen[first] = 1;
        ON_END(v, imm, END);
        continue;
      }
      case 0x05: {
        // else
        v.op = ELSE;
        v.offset = base + at;
        seen[first] = 1;
        ON_ELSE(v, imm, ELSE);
        continue;
      }
      case 0x0c: // br
      case 0x0d: {
        // br_if
        if (next < 0x80) {
          pos++;
          imm.index = next;
        } else {
          r.pos = pos;
          imm.index = r.u32();
          pos = r.pos;
        }
        const op = first === 0x0c ? BR : BR_IF;
        v.op = op;
        v.offset = base + at;
        seen[first] = 1;
        if (first === 0x0c) ON_BR(v, imm, op);
        else ON_BR_IF(v, imm, op);
        continue;
      }
      case 0x10: {
        // call
        if (next < 0x80) {
          pos++;
          imm.index = next;
        } else {
          r.pos = pos;
          imm.index = r.u32();
          pos = r.pos;
        }
        if (v.tryCall(imm.index)) {
          seen[first] = 1;
          continue;
        }
        v.op = CALL;
        v.offset = base + at;
        seen[first] = 1;
        ON_CALL(v, imm, CALL);
        continue;
      }
      case 0x00: // unreachable
      case 0x0f: // return
      case 0x1a: // drop
      case 0x1b: {
        // select (untyped)
        const op = first === 0x00 ? UNREACHABLE : first === 0x0f ? RETURN : first === 0x1a ? DROP : SELECT;
        v.op = op;
        v.offset = base + at;
        seen[first] = 1;
        if (first === 0x00) ON_UNREACHABLE(v, imm, op);
        else if (first === 0x0f) ON_RETURN(v, imm, op);
        else if (first === 0x1a) ON_DROP(v, imm, op);
        else ON_SELECT(v, imm, op);
        continue;
      }
      default: {
        if (FIXED_PLAIN[first] === 1 && typeFixed(v, first)) {
          seen[first] = 1;
          continue;
        }
        break;
      }
    }
    // The generic path: decode the operator again from its first byte and let the validator's rules decide.
    r.pos = at;
    const op = ops.readOperator();
    pos = r.pos;
    v.visit(op, imm, base + at);
  }
  if (pos !== end) {
    r.pos = pos;
    r.fail('section size mismatch', `${end - pos} byte(s) after the body's final end`);
  }
}
