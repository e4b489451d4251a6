// Constant expressions (global initialisers, segment offsets and elements, table initialisers),
// evaluated as one more visitor of the operator loop. Covers the Wasm 3.0 constant operators
// without GC allocation: numeric constants, `ref.null`, `ref.func`, `global.get` and the
// extended-const arithmetic (i32/i64 add, sub, mul). Values are in the engine's bit-exact form.
// https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions

import { OPERATORS_BY_NAME, OperatorReader, type CodeSpan, type Immediates, type OperatorInfo, type OperatorVisitor } from '@flint/decoder';
import { UnsupportedError } from '../errors.ts';
import type { WasmValue } from './values.ts';

const idOf = (name: string): number => OPERATORS_BY_NAME.get(name)![0]!.id;
const OP = {
  i32Const: idOf('i32.const'),
  i64Const: idOf('i64.const'),
  f32Const: idOf('f32.const'),
  f64Const: idOf('f64.const'),
  refNull: idOf('ref.null'),
  refFunc: idOf('ref.func'),
  globalGet: idOf('global.get'),
  i32Add: idOf('i32.add'),
  i32Sub: idOf('i32.sub'),
  i32Mul: idOf('i32.mul'),
  i64Add: idOf('i64.add'),
  i64Sub: idOf('i64.sub'),
  i64Mul: idOf('i64.mul'),
  end: idOf('end'),
} as const;

/** What a constant expression may read. */
export interface ConstContext {
  global(index: number): WasmValue;
  funcRef(index: number): bigint;
}

class ConstEvaluator implements OperatorVisitor {
  readonly stack: WasmValue[] = [];
  context: ConstContext | null = null;

  visit(op: OperatorInfo, imm: Immediates): void {
    const stack = this.stack;
    switch (op.id) {
      case OP.i32Const:
        stack.push(imm.i32 | 0);
        return;
      case OP.i64Const:
        stack.push(BigInt.asIntN(64, imm.i64()));
        return;
      case OP.f32Const:
        stack.push(imm.f32Bits >>> 0);
        return;
      case OP.f64Const:
        stack.push((BigInt(imm.f64Hi >>> 0) << 32n) | BigInt(imm.f64Lo >>> 0));
        return;
      case OP.refNull:
        stack.push(0n);
        return;
      case OP.refFunc:
        stack.push(this.context!.funcRef(imm.index));
        return;
      case OP.globalGet:
        stack.push(this.context!.global(imm.index));
        return;
      case OP.i32Add:
      case OP.i32Sub:
      case OP.i32Mul: {
        const b = Number(stack.pop());
        const a = Number(stack.pop());
        stack.push(op.id === OP.i32Add ? (a + b) | 0 : op.id === OP.i32Sub ? (a - b) | 0 : Math.imul(a, b));
        return;
      }
      case OP.i64Add:
      case OP.i64Sub:
      case OP.i64Mul: {
        const b = BigInt(stack.pop()!);
        const a = BigInt(stack.pop()!);
        stack.push(BigInt.asIntN(64, op.id === OP.i64Add ? a + b : op.id === OP.i64Sub ? a - b : a * b));
        return;
      }
      case OP.end:
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
  try {
    reader.read(span, 0, evaluator, false, 'constant expression');
  } finally {
    evaluator.context = null;
  }
  const value = evaluator.stack.pop();
  if (value === undefined) throw new UnsupportedError('constant expression produced no value');
  return value;
}
