import { describe, expect, it } from 'vitest';
import {
  BackendBailout,
  BailoutReason,
  NO_TRAP,
  TrapReason,
  VMContextFieldSize,
  VMContextLayout,
  isBackendBailout,
  isTrapReason,
  trapMessage,
} from '@flint/backend';

describe('VM context layout', () => {
  const fields = Object.entries(VMContextLayout).filter(([name]) => name !== 'size') as [keyof typeof VMContextFieldSize, number][];

  it('has naturally aligned, non-overlapping fields that fit in size', () => {
    const sorted = [...fields].sort((a, b) => a[1] - b[1]);
    let end = 0;
    for (const [name, offset] of sorted) {
      const width = VMContextFieldSize[name];
      expect(offset % width, `${name} alignment`).toBe(0);
      expect(offset, `${name} overlaps the previous field`).toBeGreaterThanOrEqual(end);
      end = offset + width;
    }
    expect(end).toBeLessThanOrEqual(VMContextLayout.size);
    expect(VMContextLayout.size % 16).toBe(0);
  });

  it('gives every field a width', () => {
    expect(Object.keys(VMContextFieldSize).sort()).toEqual(fields.map(([n]) => n).sort());
  });
});

describe('trap reasons', () => {
  it('use the spec testsuite messages', () => {
    expect(trapMessage(TrapReason.IntegerDivideByZero)).toBe('integer divide by zero');
    expect(trapMessage(TrapReason.OutOfBoundsMemoryAccess)).toBe('out of bounds memory access');
    expect(trapMessage(TrapReason.IndirectCallTypeMismatch)).toBe('indirect call type mismatch');
    expect(trapMessage(TrapReason.CallStackExhausted)).toBe('call stack exhausted');
    expect(trapMessage(TrapReason.Unreachable)).toBe('unreachable');
  });

  it('are a closed set of distinct non-zero codes, each with a message', () => {
    const codes = Object.values(TrapReason);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      expect(isTrapReason(code)).toBe(true);
      expect(trapMessage(code).length).toBeGreaterThan(0);
    }
    expect(isTrapReason(NO_TRAP)).toBe(false);
    expect(isTrapReason(Math.max(...codes) + 1)).toBe(false);
    expect(isTrapReason(1.5)).toBe(false);
  });
});

describe('BackendBailout', () => {
  it('carries a closed reason and the detail, and is recognisable', () => {
    const bailout = new BackendBailout(BailoutReason.UnsupportedOperator, 'v128.load');
    expect(bailout).toBeInstanceOf(Error);
    expect(bailout.reason).toBe('unsupported-operator');
    expect(bailout.detail).toBe('v128.load');
    expect(bailout.message).toBe('unsupported-operator: v128.load');
    expect(isBackendBailout(bailout)).toBe(true);
    expect(isBackendBailout(new Error('x'))).toBe(false);
  });
});
