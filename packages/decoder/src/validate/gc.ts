// GC operators: structs, arrays, i31, casts and the any/extern conversions.
// Spec: https://webassembly.github.io/spec/core/valid/instructions.html#aggregate-reference-instructions
import type { OperatorInfo } from '../opcodes.ts';
import type { Immediates } from '../operators.ts';
import type { FieldType, ValType as ValTypeT } from '../types.ts';
import { HeapType, ValType, heapFromTypeIndex, heapTypeOf, isNullable, isRefType, refType } from '../types.ts';
import type { FunctionValidator } from './function-validator.ts';
import { type HandlerTable, on } from './handler-table.ts';
import { checkDataIndex } from './memory.ts';
import { checkHeapType, labelRefType, retypeLabelPrefix } from './references.ts';
import { elemType } from './tables.ts';
import { BOTTOM_HEAP, heapOf, typeName } from './module-context.ts';

/** Packed storage types read as i32. */
const unpacked = (t: ValTypeT): ValTypeT => (t === ValType.I8 || t === ValType.I16 ? ValType.I32 : t);
const isPacked = (t: ValTypeT): boolean => t === ValType.I8 || t === ValType.I16;

function structFields(v: FunctionValidator, typeIndex: number): readonly FieldType[] {
  const type = v.ctx.types[typeIndex];
  if (type === undefined) v.fail('unknown type', `type ${typeIndex}`);
  if (type.composite.kind !== 'struct') v.fail('type mismatch', `${v.op!.name} needs a struct type, type ${typeIndex} is a ${type.composite.kind}`);
  return type.composite.fields;
}

function arrayElement(v: FunctionValidator, typeIndex: number): FieldType {
  const type = v.ctx.types[typeIndex];
  if (type === undefined) v.fail('unknown type', `type ${typeIndex}`);
  if (type.composite.kind !== 'array') v.fail('type mismatch', `${v.op!.name} needs an array type, type ${typeIndex} is a ${type.composite.kind}`);
  return type.composite.element;
}

function structField(v: FunctionValidator, imm: Immediates): FieldType {
  const fields = structFields(v, imm.index);
  const field = fields[imm.index2];
  if (field === undefined) v.fail('unknown field', `struct type ${imm.index} has ${fields.length} fields, not field ${imm.index2}`);
  return field;
}

function checkPacking(v: FunctionValidator, op: OperatorInfo, storage: ValTypeT): void {
  const signed = op.name.endsWith('_s') || op.name.endsWith('_u');
  if (signed !== isPacked(storage)) {
    v.fail('type mismatch', signed ? `${op.name} reads a packed field, but the field is ${typeName(storage)}` : `${op.name} cannot read a packed ${typeName(storage)} field; use the _s or _u form`);
  }
}

function checkMutable(v: FunctionValidator, field: FieldType, what: string): void {
  if (!field.mutable) v.fail(what, `${v.op!.name} writes an immutable ${what === 'immutable array' ? 'array' : 'field'}`);
}

function checkDefaultable(v: FunctionValidator, storage: ValTypeT): void {
  if (!v.ctx.isDefaultable(storage)) v.fail('type mismatch', `${v.op!.name} needs defaultable fields, but one is ${typeName(storage)}`);
}

const structRef = (typeIndex: number): ValTypeT => refType(true, heapFromTypeIndex(typeIndex));

/** A cast's target must be in the same hierarchy as its operand. */
function checkCastHierarchy(v: FunctionValidator, source: ValTypeT, target: ValTypeT): void {
  const s = heapOf(source);
  if (s === BOTTOM_HEAP) return;
  if (v.ctx.topOf(s) !== v.ctx.topOf(heapTypeOf(target))) v.fail('type mismatch', `${v.op!.name} casts ${typeName(source)} to the unrelated ${typeName(target)}`);
}

/** rt1 \ rt2: the operand type once a cast to rt2 failed. */
const difference = (rt1: ValTypeT, rt2: ValTypeT): ValTypeT => refType(isNullable(rt1) && !isNullable(rt2), heapTypeOf(rt1));

function brOnCast(v: FunctionValidator, imm: Immediates, op: OperatorInfo): void {
  checkHeapType(v, imm.heapType);
  checkHeapType(v, imm.heapType2);
  const rt1 = refType((imm.castFlags & 1) !== 0, imm.heapType);
  const rt2 = refType((imm.castFlags & 2) !== 0, imm.heapType2);
  const ctx = v.ctx;
  if (!ctx.isSubtype(rt2, rt1)) v.fail('type mismatch', `${op.name} target ${typeName(rt2)} is not a subtype of its source ${typeName(rt1)}`);
  const label = v.labelList(imm.index);
  const target = labelRefType(v, label);
  const onBranch = op.name === 'br_on_cast' ? rt2 : difference(rt1, rt2);
  const onFallthrough = op.name === 'br_on_cast' ? difference(rt1, rt2) : rt2;
  if (!ctx.isSubtype(onBranch, target)) v.fail('type mismatch', `${op.name} delivers ${typeName(onBranch)} to a label expecting ${typeName(target)}`);
  v.popExpect(rt1);
  retypeLabelPrefix(v, label);
  v.push(onFallthrough);
}

export function installGc(t: HandlerTable): void {
  on(t, 'struct.new', (v, imm) => {
    const fields = structFields(v, imm.index);
    for (let i = fields.length - 1; i >= 0; i--) v.popExpect(unpacked(fields[i]!.type));
    v.push(refType(false, heapFromTypeIndex(imm.index)));
  });
  on(t, 'struct.new_default', (v, imm) => {
    const fields = structFields(v, imm.index);
    for (const field of fields) checkDefaultable(v, field.type);
    v.push(refType(false, heapFromTypeIndex(imm.index)));
  });
  const structGet = (v: FunctionValidator, imm: Immediates, op: OperatorInfo): void => {
    const field = structField(v, imm);
    checkPacking(v, op, field.type);
    v.popExpect(structRef(imm.index));
    v.push(unpacked(field.type));
  };
  on(t, 'struct.get', structGet);
  on(t, 'struct.get_s', structGet);
  on(t, 'struct.get_u', structGet);
  on(t, 'struct.set', (v, imm) => {
    const field = structField(v, imm);
    checkMutable(v, field, 'immutable field');
    v.popExpect(unpacked(field.type));
    v.popExpect(structRef(imm.index));
  });
  on(t, 'array.new', (v, imm) => {
    const element = arrayElement(v, imm.index);
    v.popExpect(ValType.I32);
    v.popExpect(unpacked(element.type));
    v.push(refType(false, heapFromTypeIndex(imm.index)));
  });
  on(t, 'array.new_default', (v, imm) => {
    checkDefaultable(v, arrayElement(v, imm.index).type);
    v.popExpect(ValType.I32);
    v.push(refType(false, heapFromTypeIndex(imm.index)));
  });
  on(t, 'array.new_fixed', (v, imm) => {
    const element = unpacked(arrayElement(v, imm.index).type);
    // Bounded by the operands actually present, so a hostile count costs nothing.
    const count = imm.index2;
    for (let i = 0; i < count; i++) {
      if (v.popExpect(element) === ValType.Bottom && v.atFrameBase()) break;
    }
    v.push(refType(false, heapFromTypeIndex(imm.index)));
  });
  on(t, 'array.new_data', (v, imm) => {
    const element = arrayElement(v, imm.index);
    if (isRefType(element.type)) v.fail('array type is not numeric or vector', `array.new_data of array type ${imm.index} of ${typeName(element.type)}`);
    checkDataIndex(v, imm.index2);
    v.popExpect(ValType.I32);
    v.popExpect(ValType.I32);
    v.push(refType(false, heapFromTypeIndex(imm.index)));
  });
  on(t, 'array.new_elem', (v, imm) => {
    const element = arrayElement(v, imm.index);
    const segment = elemType(v, imm.index2);
    if (!v.ctx.isSubtype(segment, element.type)) v.fail('type mismatch', `array.new_elem of a segment of ${typeName(segment)} into an array of ${typeName(element.type)}`);
    v.popExpect(ValType.I32);
    v.popExpect(ValType.I32);
    v.push(refType(false, heapFromTypeIndex(imm.index)));
  });
  const arrayGet = (v: FunctionValidator, imm: Immediates, op: OperatorInfo): void => {
    const element = arrayElement(v, imm.index);
    checkPacking(v, op, element.type);
    v.popExpect(ValType.I32);
    v.popExpect(structRef(imm.index));
    v.push(unpacked(element.type));
  };
  on(t, 'array.get', arrayGet);
  on(t, 'array.get_s', arrayGet);
  on(t, 'array.get_u', arrayGet);
  on(t, 'array.set', (v, imm) => {
    const element = arrayElement(v, imm.index);
    checkMutable(v, element, 'immutable array');
    v.popExpect(unpacked(element.type));
    v.popExpect(ValType.I32);
    v.popExpect(structRef(imm.index));
  });
  on(t, 'array.len', (v) => {
    v.popExpect(refType(true, HeapType.Array));
    v.push(ValType.I32);
  });
  on(t, 'array.fill', (v, imm) => {
    const element = arrayElement(v, imm.index);
    checkMutable(v, element, 'immutable array');
    v.popExpect(ValType.I32);
    v.popExpect(unpacked(element.type));
    v.popExpect(ValType.I32);
    v.popExpect(structRef(imm.index));
  });
  on(t, 'array.copy', (v, imm) => {
    const destination = arrayElement(v, imm.index);
    const source = arrayElement(v, imm.index2);
    checkMutable(v, destination, 'immutable array');
    if (!v.ctx.isSubtype(source.type, destination.type)) {
      v.fail('array types do not match', `array.copy from elements of ${typeName(source.type)} to elements of ${typeName(destination.type)}`);
    }
    v.popExpect(ValType.I32);
    v.popExpect(ValType.I32);
    v.popExpect(structRef(imm.index2));
    v.popExpect(ValType.I32);
    v.popExpect(structRef(imm.index));
  });
  on(t, 'array.init_data', (v, imm) => {
    const element = arrayElement(v, imm.index);
    checkMutable(v, element, 'immutable array');
    if (isRefType(element.type)) v.fail('array type is not numeric or vector', `array.init_data of array type ${imm.index} of ${typeName(element.type)}`);
    checkDataIndex(v, imm.index2);
    v.popExpect(ValType.I32);
    v.popExpect(ValType.I32);
    v.popExpect(ValType.I32);
    v.popExpect(structRef(imm.index));
  });
  on(t, 'array.init_elem', (v, imm) => {
    const element = arrayElement(v, imm.index);
    checkMutable(v, element, 'immutable array');
    const segment = elemType(v, imm.index2);
    if (!v.ctx.isSubtype(segment, element.type)) v.fail('type mismatch', `array.init_elem of a segment of ${typeName(segment)} into an array of ${typeName(element.type)}`);
    v.popExpect(ValType.I32);
    v.popExpect(ValType.I32);
    v.popExpect(ValType.I32);
    v.popExpect(structRef(imm.index));
  });
  const castTarget = (v: FunctionValidator, imm: Immediates, op: OperatorInfo): ValTypeT => {
    checkHeapType(v, imm.heapType);
    // The second encoding of each (0x15, 0x17) takes a nullable target.
    const target = refType(op.code === 0x15 || op.code === 0x17, imm.heapType);
    const source = v.popRef();
    checkCastHierarchy(v, source, target);
    return target;
  };
  on(t, 'ref.test', (v, imm, op) => {
    castTarget(v, imm, op);
    v.push(ValType.I32);
  });
  on(t, 'ref.cast', (v, imm, op) => {
    v.push(castTarget(v, imm, op));
  });
  on(t, 'br_on_cast', brOnCast);
  on(t, 'br_on_cast_fail', brOnCast);
  on(t, 'any.convert_extern', (v) => {
    const ref = v.popExpect(refType(true, HeapType.Extern));
    v.push(refType(ref === ValType.Bottom ? false : isNullable(ref), HeapType.Any));
  });
  on(t, 'extern.convert_any', (v) => {
    const ref = v.popExpect(refType(true, HeapType.Any));
    v.push(refType(ref === ValType.Bottom ? false : isNullable(ref), HeapType.Extern));
  });
  on(t, 'ref.i31', (v) => {
    v.popExpect(ValType.I32);
    v.push(refType(false, HeapType.I31));
  });
  const i31Get = (v: FunctionValidator): void => {
    v.popExpect(refType(true, HeapType.I31));
    v.push(ValType.I32);
  };
  on(t, 'i31.get_s', i31Get);
  on(t, 'i31.get_u', i31Get);
}
