// Numeric conversions of the x64 MacroAssembler: wrap/extend, int→float (the unsigned 64-bit case
// by halving with a sticky bit), float→int trapping ("invalid conversion to integer" for NaN,
// "integer overflow" out of range) and saturating, demote/promote and reinterpretations.
// Wasm semantics: https://webassembly.github.io/spec/core/exec/numerics.html#conversions

import { ConvertKind, TrapReason, type Reg } from '@flint/backend';
import { Cond } from '../assembler/index.ts';
import { FSCRATCH, SCRATCH, hw } from './base.ts';
import { FloatMasm } from './float.ts';

const TWO_POW_31 = 2 ** 31;
const TWO_POW_32 = 2 ** 32;
const TWO_POW_63 = 2 ** 63;
const TWO_POW_64 = 2 ** 64;

// Float→int conversions, indexed by `kind - ConvertKind.I32TruncF32S` (trapping, then saturating):
// [source is f64, result bits, signed].
const TRUNC_SHAPES: readonly (readonly [boolean, 32 | 64, boolean])[] = [
  [false, 32, true], // I32TruncF32S
  [false, 32, false], // I32TruncF32U
  [true, 32, true], // I32TruncF64S
  [true, 32, false], // I32TruncF64U
  [false, 64, true], // I64TruncF32S
  [false, 64, false], // I64TruncF32U
  [true, 64, true], // I64TruncF64S
  [true, 64, false], // I64TruncF64U
];

export class ConvertMasm extends FloatMasm {
  convert(kind: ConvertKind, dst: Reg, src: Reg): void {
    const a = this.asm;
    const d = hw(dst);
    const s = hw(src);
    switch (kind) {
      case ConvertKind.I32WrapI64:
      case ConvertKind.I64ExtendI32U:
        a.movRR(32, d, s); // a 32-bit mov truncates and zero-extends at once
        return;
      case ConvertKind.I64ExtendI32S:
        a.movsxdRR(d, s);
        return;
      case ConvertKind.F32ConvertI32S:
      case ConvertKind.F64ConvertI32S:
      case ConvertKind.F32ConvertI64S:
      case ConvertKind.F64ConvertI64S: {
        const toF64 = kind === ConvertKind.F64ConvertI32S || kind === ConvertKind.F64ConvertI64S;
        const bits = kind === ConvertKind.F32ConvertI32S || kind === ConvertKind.F64ConvertI32S ? 32 : 64;
        // cvtsi2s* merges into dst's upper lanes: zeroing dst first breaks the false dependency.
        a.xorpsRR(d, d);
        if (toF64) a.cvtsi2sdRR(bits, d, s);
        else a.cvtsi2ssRR(bits, d, s);
        return;
      }
      case ConvertKind.F32ConvertI32U:
      case ConvertKind.F64ConvertI32U:
        // A u32 is a non-negative i64: zero-extend and use the signed 64-bit conversion.
        a.movRR(32, SCRATCH, s);
        a.xorpsRR(d, d);
        if (kind === ConvertKind.F64ConvertI32U) a.cvtsi2sdRR(64, d, SCRATCH);
        else a.cvtsi2ssRR(64, d, SCRATCH);
        return;
      case ConvertKind.F32ConvertI64U:
      case ConvertKind.F64ConvertI64U:
        this.convertU64ToFloat(kind === ConvertKind.F64ConvertI64U, d, s);
        return;
      case ConvertKind.F32DemoteF64:
        a.cvtsd2ssRR(d, s);
        return;
      case ConvertKind.F64PromoteF32:
        a.cvtss2sdRR(d, s);
        return;
      case ConvertKind.I32ReinterpretF32:
        a.movdRX(32, d, s);
        return;
      case ConvertKind.I64ReinterpretF64:
        a.movdRX(64, d, s);
        return;
      case ConvertKind.F32ReinterpretI32:
        a.movdXR(32, d, s);
        return;
      case ConvertKind.F64ReinterpretI64:
        a.movdXR(64, d, s);
        return;
      default: {
        const saturating = kind >= ConvertKind.I32TruncSatF32S;
        const [fromF64, bits, signed] = TRUNC_SHAPES[kind - (saturating ? ConvertKind.I32TruncSatF32S : ConvertKind.I32TruncF32S)]!;
        if (saturating) {
          if (signed) this.truncSatSigned(fromF64, bits, d, s);
          else this.truncSatUnsigned(fromF64, bits, d, s);
        } else {
          this.truncChecked(fromF64, bits, signed, d, s);
        }
      }
    }
  }

  /**
   * u64 → float. Below 2^63 the signed conversion is exact-rounded. Above, convert x/2 with the
   * shifted-out bit ORed back in (so the single rounding still sees it) and double the result.
   */
  private convertU64ToFloat(toF64: boolean, d: number, s: number): void {
    const a = this.asm;
    const big = a.newLabel();
    const done = a.newLabel();
    const keepOdd = a.newLabel();
    a.xorpsRR(d, d);
    a.testRR(64, s, s);
    a.jccShort(Cond.S, big);
    if (toF64) a.cvtsi2sdRR(64, d, s);
    else a.cvtsi2ssRR(64, d, s);
    a.jmpShort(done);
    a.bind(big);
    a.movRR(64, SCRATCH, s);
    a.shrRI(64, SCRATCH, 1); // CF = the bit shifted out
    a.jccShort(Cond.AE, keepOdd);
    a.orRI(64, SCRATCH, 1);
    a.bind(keepOdd);
    if (toF64) {
      a.cvtsi2sdRR(64, d, SCRATCH);
      a.addsdRR(d, d);
    } else {
      a.cvtsi2ssRR(64, d, SCRATCH);
      a.addssRR(d, d);
    }
    a.bind(done);
  }

  private ucomis(fromF64: boolean, lhs: number, rhs: number): void {
    if (fromF64) this.asm.ucomisdRR(lhs, rhs);
    else this.asm.ucomissRR(lhs, rhs);
  }

  /** Compares `src` with a float constant (of the source's precision). */
  private ucomisConst(fromF64: boolean, src: number, value: number): void {
    if (fromF64) this.asm.ucomisdRM(src, this.f64Constant(value));
    else this.asm.ucomissRM(src, this.f32Constant(value));
  }

  private cvtt(fromF64: boolean, bits: 32 | 64, dst: number, src: number): void {
    if (fromF64) this.asm.cvttsd2siRR(bits, dst, src);
    else this.asm.cvttss2siRR(bits, dst, src);
  }

  /**
   * Trapping truncation: NaN → invalid conversion; outside the range → integer overflow; else the
   * truncated value. The range is checked before converting, against bounds exact in the source
   * precision: the result is representable iff lower < x < upper (the exclusive lower bound of a
   * signed conversion from f32 is -2^bits-1 itself, inclusive, since f32 has no -2^31 - 1).
   */
  private truncChecked(fromF64: boolean, bits: 32 | 64, signed: boolean, d: number, s: number): void {
    const a = this.asm;
    this.ucomis(fromF64, s, s);
    this.trapOn(Cond.P, TrapReason.InvalidConversionToInteger);
    const limit = bits === 32 ? TWO_POW_31 : TWO_POW_63;
    if (signed) {
      if (bits === 32 && fromF64) {
        // f64 represents -2^31 - 1 exactly: trap at or below it.
        this.ucomisConst(true, s, -limit - 1);
        this.trapOn(Cond.BE, TrapReason.IntegerOverflow);
      } else {
        // -2^31 (from f32) / -2^63 is the smallest valid input and the next float below is invalid.
        this.ucomisConst(fromF64, s, -limit);
        this.trapOn(Cond.B, TrapReason.IntegerOverflow);
      }
      this.ucomisConst(fromF64, s, limit);
      this.trapOn(Cond.AE, TrapReason.IntegerOverflow);
      this.cvtt(fromF64, bits, d, s);
      return;
    }
    // Unsigned: valid iff -1 < x < 2^bits.
    this.ucomisConst(fromF64, s, -1);
    this.trapOn(Cond.BE, TrapReason.IntegerOverflow);
    this.ucomisConst(fromF64, s, bits === 32 ? TWO_POW_32 : TWO_POW_64);
    this.trapOn(Cond.AE, TrapReason.IntegerOverflow);
    if (bits === 32) {
      // Every value in range is exact as a signed 64-bit result, whose low half is the answer.
      this.cvtt(fromF64, 64, d, s);
      a.movRR(32, d, d);
      return;
    }
    this.truncU64InRange(fromF64, d, s);
  }

  /** u64 truncation of a value known to be in [0, 2^64): values from 2^63 go through x - 2^63. */
  private truncU64InRange(fromF64: boolean, d: number, s: number): void {
    const a = this.asm;
    const big = a.newLabel();
    const done = a.newLabel();
    this.ucomisConst(fromF64, s, TWO_POW_63);
    a.jccShort(Cond.AE, big);
    this.cvtt(fromF64, 64, d, s);
    a.jmpShort(done);
    a.bind(big);
    a.movapsRR(FSCRATCH, s);
    if (fromF64) a.subsdRM(FSCRATCH, this.f64Constant(TWO_POW_63));
    else a.subssRM(FSCRATCH, this.f32Constant(TWO_POW_63));
    this.cvtt(fromF64, 64, d, FSCRATCH);
    a.movRI64(SCRATCH, 0, -0x8000_0000);
    a.xorRR(64, d, SCRATCH);
    a.bind(done);
  }

  /**
   * Saturating signed truncation. cvtt* returns the "integer indefinite" MIN for NaN and for
   * every out-of-range input, so only a MIN result needs a second look: NaN → 0, positive → MAX,
   * negative → MIN (already there).
   */
  private truncSatSigned(fromF64: boolean, bits: 32 | 64, d: number, s: number): void {
    const a = this.asm;
    const done = a.newLabel();
    const nan = a.newLabel();
    this.cvtt(fromF64, bits, d, s);
    a.cmpRI(bits, d, 1); // overflows (OF=1) only when d is MIN
    a.jccShort(Cond.NO, done);
    this.ucomis(fromF64, s, s);
    a.jccShort(Cond.P, nan);
    a.xorpsRR(FSCRATCH, FSCRATCH);
    this.ucomis(fromF64, s, FSCRATCH);
    a.jccShort(Cond.BE, done);
    if (bits === 32) a.movRI(32, d, 0x7fff_ffff);
    else a.movRI64(d, 0xffff_ffff, 0x7fff_ffff);
    a.jmpShort(done);
    a.bind(nan);
    a.xorRR(32, d, d);
    a.bind(done);
  }

  /** Saturating unsigned truncation: NaN and x ≤ 0 → 0, x ≥ 2^bits → MAX, else truncate. */
  private truncSatUnsigned(fromF64: boolean, bits: 32 | 64, d: number, s: number): void {
    const a = this.asm;
    const zero = a.newLabel();
    const max = a.newLabel();
    const done = a.newLabel();
    a.xorpsRR(FSCRATCH, FSCRATCH);
    this.ucomis(fromF64, s, FSCRATCH);
    a.jccShort(Cond.BE, zero); // also taken when unordered (CF=ZF=1)
    this.ucomisConst(fromF64, s, bits === 32 ? TWO_POW_32 : TWO_POW_64);
    a.jccShort(Cond.AE, max);
    if (bits === 32) {
      this.cvtt(fromF64, 64, d, s);
      a.movRR(32, d, d);
    } else {
      this.truncU64InRange(fromF64, d, s);
    }
    a.jmpShort(done);
    a.bind(zero);
    a.xorRR(32, d, d);
    a.jmpShort(done);
    a.bind(max);
    if (bits === 32) a.movRI(32, d, 0xffff_ffff);
    else a.movRI64(d, 0xffff_ffff, 0xffff_ffff);
    a.bind(done);
  }
}
