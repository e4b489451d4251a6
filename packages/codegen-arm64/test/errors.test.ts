// Operands an instruction cannot encode raise AssemblerError (code InvalidOperand) with a message
// naming the operand; nothing is emitted and no other exception type escapes.
import { describe, expect, it } from 'vitest';
import { Arm64Assembler, AssemblerError, AssemblerErrorCode, Cond, Gpr, LiteralOp, MemOp, PairMode, PairOp, Shift } from '../src/assembler/index.ts';
import type { RegSize } from '../src/assembler/index.ts';
import { FpIntOp, encFpInt } from '../src/assembler/encode-fp.ts';
import { OneSource, ThreeSource, encOneSource, encThreeSource } from '../src/assembler/encode-integer.ts';

const { sp, zr } = Gpr;

const BAD: ReadonlyArray<[string, (a: Arm64Assembler) => void, RegExp]> = [
  ['sp where 31 means zr', (a) => a.addRRR(64, 0, 1, sp), /sp is not allowed here/],
  ['zr where 31 means sp', (a) => a.addRRI(64, 0, zr, 1), /zr is not allowed here/],
  ['sp as the destination of adds', (a) => a.addsRRI(64, sp, 1, 1), /sp is not allowed here/],
  ['zr as a load base', (a) => a.ldrRI(64, 0, zr, 0), /zr is not allowed here/],
  ['register 33', (a) => a.movRR(64, 33, 0), /33 is not a general-purpose register/],
  ['negative register', (a) => a.negRR(64, -1, 0), /-1 is not a general-purpose register/],
  ['fractional register', (a) => a.clzRR(64, 1.5, 0), /1.5 is not a general-purpose register/],
  ['vector register 32', (a) => a.faddRRR(64, 32, 0, 0), /32 is not a vector register/],
  ['operand size 16', (a) => a.addRRR(16 as RegSize, 0, 1, 2), /operand size must be 32 or 64/],
  ['FP size 16', (a) => a.faddRRR(16 as 32, 0, 1, 2), /floating-point size must be 32 or 64/],
  ['add immediate 0x1001', (a) => a.addRRI(64, 0, 1, 0x1001), /not a 12-bit immediate/],
  ['add immediate -1', (a) => a.subRRI(64, 0, 1, -1), /not a 12-bit immediate/],
  ['add immediate 0x1000000', (a) => a.cmpRI(64, 0, 0x1000000), /not a 12-bit immediate/],
  ['shift amount 32 in a w form', (a) => a.addRRShifted(32, 0, 1, 2, Shift.lsl, 32), /shift amount: 32 is outside 0..31/],
  ['ror on add', (a) => a.addRRShifted(64, 0, 1, 2, Shift.ror, 1), /shift must be lsl, lsr or asr/],
  ['extend amount 5', (a) => a.addRRExtended(64, 0, 1, 2, 0, 5), /extend shift amount: 5 is outside 0..4/],
  ['logical immediate 0', (a) => a.andRRI(64, 0, 1, 0), /0 is not encodable as a 64-bit bitmask immediate/],
  ['logical immediate all ones', (a) => a.orrRRI(32, 0, 1, 0xffffffff), /not encodable as a 32-bit bitmask/],
  ['logical immediate 0x1234', (a) => a.eorRRI(64, 0, 1, 0x1234), /not encodable/],
  ['logical immediate beyond 2^53', (a) => a.andRRI(64, 0, 1, 2 ** 60), /not a safe integer; pass a bigint/],
  ['movz shift 32 in a w form', (a) => a.movzRI(32, 0, 1, 32), /shift 32 is not 0, 16$/],
  ['movk shift 8', (a) => a.movkRI(64, 0, 1, 8), /shift 8 is not 0, 16, 32 or 48/],
  ['movz immediate 0x10000', (a) => a.movzRI(64, 0, 0x10000), /move wide immediate: 65536 is outside 0..65535/],
  ['lsl by 64', (a) => a.lslRRI(64, 0, 1, 64), /lsl: shift 64 is outside 0..63/],
  ['ubfx width past the top', (a) => a.ubfxRRII(32, 0, 1, 30, 3), /ubfx: width 3 must be 1..2 for lsb 30/],
  ['bfi width 0', (a) => a.bfiRRII(64, 0, 1, 0, 0), /width 0 must be 1..64/],
  ['ubfm immr 32 in a w form', (a) => a.ubfmRRII(32, 0, 1, 32, 0), /immr: 32 is outside 0..31/],
  ['an unknown MemOp', (a) => a.loadStoreRI(99 as MemOp, 0, 1, 0), /99 is not a MemOp/],
  ['condition 16', (a) => a.cselRRR(64, 0, 1, 2, 16 as Cond), /condition: 16 is outside 0..15/],
  ['cset al', (a) => a.csetR(64, 0, Cond.al), /cset: condition must be eq..le/],
  ['ccmp nzcv 16', (a) => a.ccmpRI(64, 0, 1, 16, Cond.eq), /nzcv: 16 is outside 0..15/],
  ['ccmp immediate 32', (a) => a.ccmpRI(64, 0, 32, 0, Cond.eq), /ccmp immediate: 32 is outside 0..31/],
  ['scaled offset too large and not unscaled', (a) => a.ldrRI(64, 0, 1, 8 * 4096), /9-bit offset: 32768 is outside -256..255/],
  ['misaligned large offset', (a) => a.ldrRI(64, 0, 1, 257), /9-bit offset: 257 is outside -256..255/],
  ['unscaled offset -257', (a) => a.ldurRI(64, 0, 1, -257), /-257 is outside -256..255/],
  ['load with writeback into its base', (a) => a.ldrPreRI(64, 3, 3, 8), /base register must differ/],
  ['register offset with uxtb', (a) => a.ldrRR(64, 0, 1, 2, 0), /extend must be uxtw, lsl \(uxtx\), sxtw or sxtx/],
  ['ldp into one register twice', (a) => a.ldpRRI(64, 4, 4, 1, 0), /loading both registers of a pair into 4 is unpredictable/],
  ['pair offset not a multiple', (a) => a.stpRRI(64, 0, 1, sp, 12), /offset 12 is not a multiple of 8 in -512..504/],
  ['pair offset out of range', (a) => a.ldpRRI(32, 0, 1, sp, 256), /offset 256 is not a multiple of 4 in -256..252/],
  ['pair writeback into its base', (a) => a.loadStorePair(PairOp.ldp64, PairMode.pre, 1, 2, 2, 16), /base register must differ/],
  ['literal op 9', (a) => a.ldrLiteral(9 as LiteralOp, 0, a.newLabel()), /9 is not a LiteralOp/],
  ['constant of the wrong size', (a) => a.ldrConstant(LiteralOp.ldr64, 0, [1, 2, 3, 4]), /expected 8 constant bytes, got 4/],
  ['tbz bit 64', (a) => a.tbz(0, 64, a.newLabel()), /bit number: 64 is outside 0..63/],
  ['b.nv', (a) => a.bCond(Cond.nv, a.newLabel()), /b.nv is not a conditional branch/],
  ['adr beyond 1 MiB', (a) => a.adrRI(0, 1 << 20), /adr byte offset 1048576 is outside -1048576..1048575/],
  ['fmov immediate 0.1', (a) => a.fmovRI(64, 0, 0.1), /0.1 is not encodable as an 8-bit floating-point immediate/],
  ['fmov immediate 0', (a) => a.fmovRI(32, 0, 0), /0 is not encodable/],
  ['fcvt to the same precision', (a) => a.fcvtRR(64, 64, 0, 1), /precision must differ/],
  ['brk 0x10000', (a) => a.brk(0x10000), /brk immediate: 65536 is outside 0..65535/],
  ['dmb option 16', (a) => a.dmb(16 as 15), /dmb option: 16 is outside 0..15/],
  ['vector load size 24', (a) => a.ldrFpRI(24 as 32, 0, 1, 0), /size must be 8, 16, 32, 64 or 128/],
];

describe('invalid operands', () => {
  for (const [what, emit, message] of BAD) {
    it(`rejects ${what}`, () => {
      const asm = new Arm64Assembler();
      let error: unknown;
      try {
        emit(asm);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AssemblerError);
      expect((error as AssemblerError).code).toBe(AssemblerErrorCode.InvalidOperand);
      expect((error as AssemblerError).message).toMatch(message);
      expect(asm.offset).toBe(0);
    });
  }

  it('the shared encoders refuse w forms that do not exist (rev32, smulh, fmov w<->d)', () => {
    expect(() => encOneSource(OneSource.rev32, 32, 0, 1)).toThrow(/rev32 exists only for 64-bit operands/);
    expect(() => encThreeSource(ThreeSource.smulh, 32, 0, 1, 2, Gpr.zr)).toThrow(/size must be 64/);
    expect(() => encThreeSource(ThreeSource.umulh, 64, 0, 1, 2, 3)).toThrow(/ra must be zr/);
    expect(() => encFpInt(FpIntOp.fmovToGpr, 32, 64, 0, 1)).toThrow(/sizes must match/);
  });
});
