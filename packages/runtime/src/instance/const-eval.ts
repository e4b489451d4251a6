// Constant expressions (global initialisers, segment offsets and elements, table initialisers),
// evaluated as one more visitor of the operator loop. Covers the Wasm 3.0 constant operators
// without GC allocation: numeric constants (v128 included), `ref.null`, `ref.func`, `global.get` and the
// extended-const arithmetic (i32/i64 add, sub, mul). Values are in the engine's bit-exact form.
// https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions

import { Op, OperatorReader, type CodeSpan, type Immediates, type OperatorInfo, type OperatorVisitor } from '@flint/decoder';
import { UnsupportedError } from '../errors.ts';
import type { WasmValue } from './values.ts';

/** What a constant expression may read. */
export interface ConstContext {
  global(index: number): WasmValue;
  funcRef(index: number): bigint;
}

class ConstEvaluator implements OperatorVisitor {
  readonly stack: WasmValue[] = [];
  context: ConstContext | null = null;
  /** The bytes of the expression being evaluated (where a v128.const's value is). */
  bytes: Uint8Array = new Uint8Array(0);

  visit(op: OperatorInfo, imm: Immediates): void {
    const stack = this.stack;
    switch (op.id) {
      case Op.I32Const:
        stack.push(imm.i32 | 0);
        return;
      case Op.I64Const:
        stack.push(BigInt.asIntN(64, imm.i64()));
        return;
      case Op.F32Const:
        stack.push(imm.f32Bits >>> 0);
        return;
      case Op.F64Const:
        stack.push((BigInt(imm.f64Hi >>> 0) << 32n) | BigInt(imm.f64Lo >>> 0));
        return;
      case Op.V128Const: {
        let value = 0n;
        for (let i = 15; i >= 0; i--) value = (value << 8n) | BigInt(this.bytes[imm.bytesAt + i]!);
        stack.push(value);
        return;
      }
      case Op.RefNull:
        stack.push(0n);
        return;
      case Op.RefFunc:
        stack.push(this.context!.funcRef(imm.index));
        return;
      case Op.GlobalGet:
        stack.push(this.context!.global(imm.index));
        return;
      case Op.I32Add:
      case Op.I32Sub:
      case Op.I32Mul: {
        const b = Number(stack.pop());
        const a = Number(stack.pop());
        stack.push(op.id === Op.I32Add ? (a + b) | 0 : op.id === Op.I32Sub ? (a - b) | 0 : Math.imul(a, b));
        return;
      }
      case Op.I64Add:
      case Op.I64Sub:
      case Op.I64Mul: {
        const b = BigInt(stack.pop()!);
        const a = BigInt(stack.pop()!);
        stack.push(BigInt.asIntN(64, op.id === Op.I64Add ? a + b : op.id === Op.I64Sub ? a - b : a * b));
        return;
      }
      case Op.End:
        return;
      default:
        throw new UnsupportedError(`proposal not supported: ${op.feature} (constant expression uses ${op.name})`);
    }
  }
}

const evaluator = new ConstEvaluator();
const reader = new OperatorReader();

/** Evaluates a validated constant expression. */
export function evaluateConst(span: CodeSpan, context: ConstContext): WasmValue {
  evaluator.stack.length = 0;
  evaluator.context = context;
  evaluator.bytes = span.bytes;
  try {
    reader.read(span, 0, evaluator, false, 'constant expression');
  } finally {
    evaluator.context = null;
  }
  const value = evaluator.stack.pop();
  if (value === undefined) throw new UnsupportedError('constant expression produced no value');
  return value;
}
