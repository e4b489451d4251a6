// Shared state and helpers of the x64 MacroAssembler: the assembler it drives, register mapping,
// out-of-line trap stubs, constant-pool entries and the frame layout.
//
// Invariants every family relies on:
//  - An i32 in an integer register always has its upper 32 bits zero (every 32-bit x64 operation
//    zero-extends), so an i32 may be used as a 64-bit index or address offset without extension.
//  - r11 (int) and xmm15 (float) are the MacroAssembler's scratch registers; no method expects
//    them to survive another method call.
//  - r15 holds the VM context. The prologue also saves it at [rbp - 8] so calls that switch
//    instance (imports, call_indirect) can restore it.
//
// Frame layout (the stack grows down):
//     [rbp + 8]            return address
//     [rbp + 0]            caller's rbp
//     [rbp - 8]            this function's VM context (r15)
//     [rbp - 8 - slot]     frame slot `slot` (the compiler's locals and spills)

import {
  CodeBuffer,
  type CpuFeatureSet,
  TrapReason,
  VMCTX_TRAP_EXIT,
  VMCTX_TRAP_REASON,
  hwEncodingOf,
  isImm,
  type Imm,
  type OperandSize,
  type Reg,
  type RegOrImm,
} from '@flint/backend';
import { Assembler, Gpr, Mem, Xmm, x64FixupPatcher, type Cond } from '../assembler/index.ts';
import { X64Feature } from '../cpu-features.ts';

/** Integer scratch (r11) and float scratch (xmm15), by hardware encoding. */
export const SCRATCH = Gpr.r11;
export const FSCRATCH = Xmm.xmm15;
/** The pinned VM-context register. */
export const VMCTX = Gpr.r15;
/** Bytes between rbp and frame slot 0: the saved VM context. */
export const FRAME_HEADER_BELOW_RBP = 8;
/** Where the prologue keeps the function's VM context. */
export const SAVED_VMCTX_OFFSET = -8;

/** The hardware encoding of a contract register (class bits dropped). */
export const hw = (reg: Reg): number => hwEncodingOf(reg);

// One 8-byte view for turning float constants into pool bytes without allocating.
const constantBytes = new Uint8Array(16);
const constantView = new DataView(constantBytes.buffer);
const constantBytes4 = constantBytes.subarray(0, 4);
const constantBytes8 = constantBytes.subarray(0, 8);

export class MasmBase {
  readonly asm: Assembler;
  /** The CPU features this MacroAssembler may use; each family falls back to SSE2 code without them. */
  readonly cpuFeatures: CpuFeatureSet;
  // The features the families test, looked up once (the set is fixed for this MacroAssembler).
  protected readonly hasLzcnt: boolean;
  protected readonly hasBmi1: boolean;
  protected readonly hasPopcnt: boolean;
  protected readonly hasSse41: boolean;
  protected wasmOffset = -1;
  // Out-of-line trap stubs, emitted by `finish`: [label, reason, wasmOffset] triples.
  private readonly pendingTraps: number[] = [];
  /** Reused memory operands: emitting never allocates one per instruction. */
  protected readonly m = new Mem();
  protected readonly m2 = new Mem();

  constructor(initialCapacity: number | undefined, cpuFeatures: CpuFeatureSet) {
    this.asm = new Assembler(new CodeBuffer({ initialCapacity, patcher: x64FixupPatcher }));
    this.cpuFeatures = cpuFeatures;
    this.hasLzcnt = cpuFeatures.has(X64Feature.LZCNT);
    this.hasBmi1 = cpuFeatures.has(X64Feature.BMI1);
    this.hasPopcnt = cpuFeatures.has(X64Feature.POPCNT);
    this.hasSse41 = cpuFeatures.has(X64Feature.SSE41);
  }

  get offset(): number {
    return this.asm.offset;
  }

  setWasmOffset(wasmOffset: number): void {
    this.wasmOffset = wasmOffset;
  }

  /** Starts another function; the assembler's code buffer keeps its grown storage. */
  reset(): void {
    this.asm.buffer.reset();
    this.pendingTraps.length = 0;
    this.wasmOffset = -1;
  }

  // --- traps ------------------------------------------------------------------------------------

  /**
   * The trap sequence: store the reason in the VM context and call the trap exit, which never
   * returns. The trap site is the return address of that call (what the exit records as trap PC).
   */
  protected emitTrap(reason: TrapReason, wasmOffset: number): void {
    const a = this.asm;
    a.movMI(32, this.m.setBase(VMCTX, VMCTX_TRAP_REASON), reason);
    a.callM(this.m.setBase(VMCTX, VMCTX_TRAP_EXIT));
    a.buffer.addTrapSite(a.offset, reason, wasmOffset);
  }

  /** A label whose out-of-line code traps with `reason` (at the current Wasm offset). */
  protected trapLabel(reason: TrapReason): number {
    const label = this.asm.newLabel();
    this.pendingTraps.push(label, reason, this.wasmOffset);
    return label;
  }

  /** Jumps to an out-of-line trap when `cond` holds. */
  protected trapOn(cond: Cond, reason: TrapReason): void {
    this.asm.jcc(cond, this.trapLabel(reason));
  }

  /** Emits the out-of-line trap stubs; the code after them is the constant pool. */
  protected emitPendingTraps(): void {
    const list = this.pendingTraps;
    for (let i = 0; i < list.length; i += 3) {
      this.asm.bind(list[i]!);
      this.emitTrap(list[i + 1]! as TrapReason, list[i + 2]!);
    }
    list.length = 0;
  }

  // --- operands -------------------------------------------------------------------------------

  /**
   * `cmp lhs, rhs` at `size`; an immediate that is not a sign-extended int32 (at 64 bits) goes
   * through the scratch register.
   */
  protected compare(size: OperandSize, lhs: Reg, rhs: RegOrImm): void {
    if (isImm(rhs)) {
      if (size === 32) this.asm.cmpRI(32, hw(lhs), rhs.lo);
      else if (rhs.fitsInI32()) this.asm.cmpRI(64, hw(lhs), rhs.lo);
      else {
        this.asm.movRI64(SCRATCH, rhs.lo, rhs.hi);
        this.asm.cmpRR(64, hw(lhs), SCRATCH);
      }
    } else {
      this.asm.cmpRR(size, hw(lhs), hw(rhs));
    }
  }

  /** Materializes an immediate of `size` into `dst` (a hardware encoding). */
  protected loadImm(size: OperandSize, dst: number, imm: Imm): void {
    if (size === 32) this.asm.movRI(32, dst, imm.lo >>> 0);
    else this.asm.movRI64(dst, imm.lo, imm.hi);
  }

  // --- constant pool ----------------------------------------------------------------------------

  /** A RIP-relative operand for a 4-byte (f32) pool constant. */
  protected f32Constant(value: number): Mem {
    constantView.setFloat32(0, value, true);
    return this.m2.setLabel(this.asm.buffer.addConstant(constantBytes4, 4));
  }

  /** A RIP-relative operand for an 8-byte (f64) pool constant. */
  protected f64Constant(value: number): Mem {
    constantView.setFloat64(0, value, true);
    return this.m2.setLabel(this.asm.buffer.addConstant(constantBytes8, 8));
  }

  /** A RIP-relative operand for an 8-byte integer pool constant given as two 32-bit halves. */
  protected intConstant(lo: number, hi: number): Mem {
    return this.bitsConstant(64, lo, hi);
  }

  /** A RIP-relative operand for a float constant of `size` given as raw bits. */
  protected bitsConstant(size: OperandSize, lo: number, hi: number): Mem {
    constantView.setUint32(0, lo >>> 0, true);
    constantView.setUint32(4, hi >>> 0, true);
    return this.m2.setLabel(
      size === 32 ? this.asm.buffer.addConstant(constantBytes4, 4) : this.asm.buffer.addConstant(constantBytes8, 8),
    );
  }

  /** A 16-byte, 16-aligned pool constant repeating a 32-bit (size 32) or 64-bit lane pattern. */
  protected maskConstant(size: OperandSize, lo: number, hi: number): Mem {
    for (let i = 0; i < 16; i += size === 32 ? 4 : 8) {
      constantView.setUint32(i, lo >>> 0, true);
      if (size === 64) constantView.setUint32(i + 4, hi >>> 0, true);
    }
    return this.m2.setLabel(this.asm.buffer.addConstant(constantBytes, 16));
  }
}
