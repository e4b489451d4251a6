// MacroAssembler sequences checked by disassembly: each expected listing is the sequence the
// design calls for (frame layout and traps in masm/base.ts, Wasm traps and ranges in the family
// files), written out by hand and compared with what aarch64-linux-gnu-objdump reads back.

import {
  ConvertKind,
  DivKind,
  FloatBinaryKind,
  FloatCond,
  Imm,
  IntBinaryKind,
  IntUnaryKind,
  LoadKind,
  RegClass,
  ShiftKind,
  StackArea,
  TrapReason,
  makeReg,
} from '@flint/backend';
import { RegisterValueStack } from '@flint/backend/testing';
import { describe, expect, it } from 'vitest';
import { Arm64MacroAssembler } from '../src/masm/macro-assembler.ts';
import { disassemble, hasObjdump } from './support/objdump.ts';

const x = (n: number) => makeReg(RegClass.Int, n);
const d = (n: number) => makeReg(RegClass.Float, n);

/** Disassembly of what `build` emits, with branch targets as byte offsets from the start. */
function listing(build: (m: Arm64MacroAssembler) => void): string[] {
  const m = new Arm64MacroAssembler();
  build(m);
  return disassemble(m.finish().code);
}

const trapStub = (reason: number) => [`mov w16, #0x${reason.toString(16)}`, 'str w16, [x28, #64]', 'ldr x16, [x28, #88]', 'blr x16'];

describe.skipIf(!hasObjdump)('arm64 MacroAssembler sequences (skipped without aarch64-linux-gnu-objdump)', () => {
  it('prologue: frame header, saved VM context, stack-limit check before sp moves; epilogue', () => {
    expect(
      listing((m) => {
        m.prologue(40);
        m.epilogue();
      }),
    ).toEqual([
      'stp x29, x30, [sp, #-32]!',
      'mov x29, sp',
      'str x28, [x29, #16]',
      'sub x16, sp, #0x30', // 40 rounded up to 48: sp stays 16-byte aligned
      'ldr x17, [x28, #24]', // VMCTX_STACK_LIMIT
      'cmp x16, x17',
      'b.cc 0x2c',
      'mov sp, x16',
      'mov sp, x29',
      'ldp x29, x30, [sp], #32',
      'ret',
      ...trapStub(TrapReason.CallStackExhausted),
    ]);
  });

  it('i32.div_s: zero check, INT_MIN / -1 check with cmp + ccmn, then sdiv', () => {
    expect(
      listing((m) => {
        const s = new RegisterValueStack(m, m.registers);
        s.pushReg(x(0), 32);
        s.pushReg(x(1), 32);
        m.div(s, DivKind.SignedDiv, 32);
      }),
    ).toEqual([
      'cbz w1, 0x14',
      'cmp w0, #0x1',
      'ccmn w1, #0x1, #0x0, vs',
      'b.eq 0x24',
      'sdiv w0, w0, w1',
      ...trapStub(TrapReason.IntegerDivideByZero),
      ...trapStub(TrapReason.IntegerOverflow),
    ]);
  });

  it('i64.rem_s needs no overflow check: msub gives 0 for INT_MIN % -1', () => {
    expect(
      listing((m) => {
        const s = new RegisterValueStack(m, m.registers);
        s.pushReg(x(3), 64);
        s.pushReg(x(4), 64);
        m.div(s, DivKind.SignedRem, 64);
      }),
    ).toEqual(['cbz x4, 0xc', 'sdiv x16, x3, x4', 'msub x3, x16, x4, x3', ...trapStub(TrapReason.IntegerDivideByZero)]);
  });

  it('bounds check against the memory length without wrap-around, then the heap address', () => {
    expect(
      listing((m) => {
        m.boundsCheck(0, x(0), 32, 4, 4);
        m.heapAddress(x(1), 0, x(0), 32);
      }),
    ).toEqual([
      'ldr x16, [x28, #8]', // VMCTX_MEMORY0_LENGTH
      'subs x16, x16, x0',
      'b.cc 0x1c',
      'cmp x16, #0x8',
      'b.cc 0x1c',
      'ldr x16, [x28]',
      'add x1, x16, w0, uxtw',
      ...trapStub(TrapReason.OutOfBoundsMemoryAccess),
    ]);
  });

  it('br_table: bounds check, adr of the table, index * 4, br; one `b` per entry', () => {
    expect(
      listing((m) => {
        const targets = [m.newLabel(), m.newLabel()];
        const fallback = m.newLabel();
        m.jumpTable(x(2), targets, fallback);
        m.bind(targets[0]!);
        m.bind(targets[1]!);
        m.intUnary(IntUnaryKind.Clz, 32, x(0), x(0));
        m.bind(fallback);
      }),
    ).toEqual(['cmp w2, #0x2', 'b.cs 0x20', 'adr x16, 0x14', 'add x16, x16, w2, uxtw #2', 'br x16', 'b 0x1c', 'b 0x1c', 'clz w0, w0']);
  });

  it('call_indirect: table bounds, null entry and signature checks, switch and restore x28', () => {
    expect(listing((m) => m.callIndirect(1, 3, x(2)))).toEqual([
      'ldr x16, [x28, #40]', // VMCTX_TABLES
      'add x16, x16, #0x10', // table 1's record
      'ldr x17, [x16, #8]',
      'cmp x2, x17',
      'b.cs 0x44',
      'ldr x16, [x16]',
      'ldr x16, [x16, x2, lsl #3]',
      'cbz x16, 0x54',
      'ldr x17, [x28, #96]', // VMCTX_SIGNATURE_IDS
      'ldr w17, [x17, #12]', // type 3
      'ldr w30, [x16, #16]', // FuncRefRecord.typeId
      'cmp w17, w30',
      'b.ne 0x64',
      'ldr x28, [x16, #8]',
      'ldr x16, [x16]',
      'blr x16',
      'ldr x28, [x29, #16]',
      ...trapStub(TrapReason.UndefinedElement),
      ...trapStub(TrapReason.UninitializedElement),
      ...trapStub(TrapReason.IndirectCallTypeMismatch),
    ]);
  });

  it('direct, import and builtin calls go through the VM context tables', () => {
    expect(
      listing((m) => {
        m.callDirect(5000); // 40000 bytes: beyond the scaled 12-bit offset of ldr
        m.callImport(2);
        m.callBuiltin(3);
        m.returnCallDirect(1);
      }),
    ).toEqual([
      'ldr x16, [x28, #56]',
      'mov w17, #0x9c40', // the w form zero-extends: shorter for a 64-bit value with a zero upper half
      'ldr x16, [x16, x17]',
      'blr x16',
      'ldr x16, [x28, #48]',
      'add x16, x16, #0x20',
      'ldr x28, [x16, #8]',
      'ldr x16, [x16]',
      'blr x16',
      'ldr x28, [x29, #16]',
      'ldr x16, [x28, #104]',
      'ldr x16, [x16, #24]',
      'blr x16',
      'ldr x16, [x28, #56]',
      'ldr x16, [x16, #8]',
      'mov sp, x29',
      'ldp x29, x30, [sp], #32',
      'br x16',
    ]);
  });

  it('i32.trunc_f64_s: NaN, then the exclusive bounds -2^31-1 and 2^31, then fcvtzs', () => {
    expect(listing((m) => m.convert(ConvertKind.I32TruncF64S, x(0), d(1)))).toEqual([
      'fcmp d1, d1',
      'b.vs 0x30',
      'mov x16, #0x200000', // -2147483649.0 = 0xc1e0000000200000
      'movk x16, #0xc1e0, lsl #48',
      'fmov d31, x16',
      'fcmp d1, d31',
      'b.le 0x40',
      'mov x16, #0x41e0000000000000', // 2147483648.0
      'fmov d31, x16',
      'fcmp d1, d31',
      'b.ge 0x50',
      'fcvtzs w0, d1',
      ...trapStub(TrapReason.InvalidConversionToInteger),
      ...trapStub(TrapReason.IntegerOverflow),
      ...trapStub(TrapReason.IntegerOverflow),
    ]);
  });

  it('saturating truncation and unsigned conversion are single instructions', () => {
    expect(
      listing((m) => {
        m.convert(ConvertKind.I64TruncSatF32U, x(0), d(1));
        m.convert(ConvertKind.F64ConvertI64U, d(2), x(3));
        m.convert(ConvertKind.I64ExtendI32S, x(4), x(5));
      }),
    ).toEqual(['fcvtzu x0, s1', 'ucvtf d2, x3', 'sxtw x4, w5']);
  });

  it('copysign splices the sign bit in integer registers; compares use NaN-false conditions', () => {
    expect(
      listing((m) => {
        m.floatBinary(FloatBinaryKind.Copysign, 64, d(0), d(1), d(2));
        m.floatCompare(FloatCond.Lt, 32, x(0), d(1), d(2));
        m.floatCompare(FloatCond.Le, 64, x(0), d(1), d(2));
      }),
    ).toEqual(['fmov x16, d1', 'fmov x17, d2', 'bfxil x17, x16, #0, #63', 'fmov d0, x17', 'fcmp s1, s2', 'cset w0, mi', 'fcmp d1, d2', 'cset w0, ls']);
  });

  it('ctz, popcnt, rotl by register, immediates through x16', () => {
    expect(
      listing((m) => {
        m.intUnary(IntUnaryKind.Ctz, 64, x(0), x(1));
        m.intUnary(IntUnaryKind.Popcnt, 32, x(0), x(1));
        const s = new RegisterValueStack(m, m.registers);
        s.pushReg(x(2), 32);
        s.pushReg(x(3), 32);
        m.shift(s, ShiftKind.Rotl, 32);
        m.intBinary(IntBinaryKind.Add, 32, x(0), x(1), Imm.i32(-4096));
        m.intBinary(IntBinaryKind.And, 64, x(0), x(1), Imm.i64(0xff, 0));
        m.intBinary(IntBinaryKind.Xor, 32, x(0), x(1), Imm.i32(0x1234_5678));
      }),
    ).toEqual([
      'rbit x16, x1',
      'clz x0, x16',
      'fmov s31, w1',
      'cnt v31.8b, v31.8b',
      'addv b31, v31.8b',
      'fmov w0, s31',
      'neg w16, w3',
      'ror w2, w2, w16',
      'sub w0, w1, #0x1, lsl #12',
      'and x0, x1, #0xff',
      'mov w16, #0x5678',
      'movk w16, #0x1234, lsl #16',
      'eor w0, w1, w16',
    ]);
  });

  it('frame slots and stack areas: x29 - slot (unscaled or through x16), x29 + 32 + offset, sp + offset', () => {
    expect(
      listing((m) => {
        m.spill(8, x(3), 64);
        m.fill(d(2), 4, 32);
        m.spill(4096, x(3), 32);
        m.loadStackArea(StackArea.Incoming, x(1), 8, 64);
        m.storeStackArea(StackArea.Outgoing, d(0), 16, 64);
        m.load(LoadKind.I64Load16S, x(0), x(1), 6);
      }),
    ).toEqual([
      'stur x3, [x29, #-8]',
      'ldur s2, [x29, #-4]',
      'mov x16, #0xfffffffffffff000',
      'str w3, [x29, x16]',
      'ldr x1, [x29, #40]',
      'str d0, [sp, #16]',
      'ldrsh x0, [x1, #6]',
    ]);
  });
});

describe('arm64 MacroAssembler: bad input', () => {
  it('rejects frame slots that are not positive offsets and misaligned stack reservations', () => {
    const m = new Arm64MacroAssembler();
    expect(() => m.spill(0, x(0), 64)).toThrow(/frame slot 0/);
    expect(() => m.fill(x(0), -8, 64)).toThrow(/frame slot -8/);
    expect(() => m.reserveStack(24)).toThrow(/multiple of 16/);
    expect(() => m.boundsCheck(0, x(0), 32, -1, 4)).toThrow(/invalid offset/);
  });
});
