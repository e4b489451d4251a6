// The dispatch tables join operators to contract kinds by name; check each join against the
// operator's mnemonic, so a table entry pointing at the wrong kind cannot pass unnoticed. And the
// one value-type mapping of the contract against the decoder's encoding of value types.
import {
  ConvertKind,
  DivKind,
  FloatBinaryKind,
  FloatCond,
  FloatUnaryKind,
  IntBinaryKind,
  IntCond,
  IntUnaryKind,
  LoadKind,
  REFERENCE_TYPE_BIT,
  ShiftKind,
  StoreKind,
  ValueKind,
  valueKindOf,
} from '@flint/backend';
import { EXTERNREF, FUNCREF, HeapType, OPERATORS, OPERATOR_BY_ID, ValType, heapFromTypeIndex, isRefType, refType } from '@flint/decoder';
import { describe, expect, it } from 'vitest';
import { CONVERT_KIND, FAMILY, Family, LOAD_KIND, NUMERIC_FORM, NUMERIC_KIND, NumericForm, OPERAND_SIZE, STORE_KIND } from '../src/operators.ts';

const pascal = (text: string): string => text.split(/[._]/).map((part) => part[0]!.toUpperCase() + part.slice(1)).join('');
const keyOf = (kinds: Record<string, number>, value: number): string | undefined => Object.keys(kinds).find((key) => kinds[key] === value);

/** `i32.lt_s` → ['i32', 'LtS']. */
function split(name: string): [string, string] {
  const dot = name.indexOf('.');
  return [name.slice(0, dot), pascal(name.slice(dot + 1))];
}

const FORM_KINDS: Record<number, Record<string, number>> = {
  [NumericForm.IntCompare]: IntCond,
  [NumericForm.FloatCompare]: FloatCond,
  [NumericForm.IntBinary]: IntBinaryKind,
  [NumericForm.FloatUnary]: FloatUnaryKind,
  [NumericForm.FloatBinary]: FloatBinaryKind,
  [NumericForm.IntUnary]: IntUnaryKind,
};

describe('operator tables', () => {
  const numeric = OPERATORS.filter((op) => NUMERIC_FORM[op.id] !== NumericForm.None);

  it('give each numeric operator the contract kind its mnemonic names, at its width', () => {
    // 4 constants, 2 eqz, 20 + 12 comparisons, 11 + 12 + 8 + 10 integer and 14 + 14 float operators.
    expect(numeric).toHaveLength(107);
    for (const op of numeric) {
      const [type, operation] = split(op.name);
      expect(OPERAND_SIZE[op.id], op.name).toBe(type.endsWith('64') ? 64 : 32);
      expect(FAMILY[op.id], op.name).toBe(Family.Numeric);
      const form = NUMERIC_FORM[op.id]!;
      const kinds = FORM_KINDS[form];
      if (kinds !== undefined) expect(keyOf(kinds, NUMERIC_KIND[op.id]!), op.name).toBe(operation);
      else if (form === NumericForm.Div) expect(keyOf(DivKind, NUMERIC_KIND[op.id]!), op.name).toBe({ DivS: 'SignedDiv', DivU: 'UnsignedDiv', RemS: 'SignedRem', RemU: 'UnsignedRem' }[operation]);
      else if (form === NumericForm.Shift) expect(keyOf(ShiftKind, NUMERIC_KIND[op.id]!), op.name).toBe(operation);
      else expect(['Const', 'Eqz'], op.name).toContain(operation);
    }
  });

  it('give each conversion its ConvertKind, and each load and store its kind', () => {
    for (const op of OPERATORS) {
      if (CONVERT_KIND[op.id]! >= 0) expect(keyOf(ConvertKind, CONVERT_KIND[op.id]!), op.name).toBe(pascal(op.name));
      if (LOAD_KIND[op.id]! >= 0) {
        const [type, operation] = split(op.name);
        expect(keyOf(LoadKind, LOAD_KIND[op.id]!), op.name).toBe(operation === 'Load' ? type.toUpperCase() : pascal(op.name));
      }
      if (STORE_KIND[op.id]! >= 0) {
        const [type, operation] = split(op.name);
        expect(keyOf(StoreKind, STORE_KIND[op.id]!), op.name).toBe(operation === 'Store' ? type.toUpperCase() : operation);
      }
    }
    expect(OPERATORS.filter((op) => CONVERT_KIND[op.id]! >= 0)).toHaveLength(Object.keys(ConvertKind).length);
    expect(OPERATORS.filter((op) => LOAD_KIND[op.id]! >= 0)).toHaveLength(14);
    expect(OPERATORS.filter((op) => STORE_KIND[op.id]! >= 0)).toHaveLength(9);
  });

  it('leave proposals this tier does not compile without a family (they bail out as unsupported operators)', () => {
    for (const op of OPERATORS) {
      if (['gc', 'threads', 'wide-arithmetic', 'function-references', 'memory-control'].includes(op.feature)) {
        expect(FAMILY[op.id], op.name).toBe(Family.Unsupported);
      }
      // Every 0xFD operator goes to the SIMD visitor, which has its own table by code.
      if (op.prefix === 0xfd) expect(FAMILY[op.id], op.name).toBe(Family.Simd);
    }
    expect(OPERATOR_BY_ID[0x1c]!.name).toBe('select');
  });
});

describe('value kinds', () => {
  it('the contract reads the decoder value types the way the decoder encodes them', () => {
    expect([ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128].map(valueKindOf)).toEqual([ValueKind.I32, ValueKind.I64, ValueKind.F32, ValueKind.F64, ValueKind.V128]);
    for (const ref of [FUNCREF, EXTERNREF, refType(false, HeapType.Func), refType(true, heapFromTypeIndex(7)), refType(false, HeapType.Any, true)]) {
      expect(isRefType(ref)).toBe(true);
      expect(ref & REFERENCE_TYPE_BIT).toBe(REFERENCE_TYPE_BIT);
      expect(valueKindOf(ref)).toBe(ValueKind.Ref);
    }
    for (const other of [ValType.I8, ValType.I16, ValType.Bottom]) expect(() => valueKindOf(other)).toThrow(RangeError);
  });

});
