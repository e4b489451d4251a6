// Instruction selection for x64: IR (through the contract's `LoweringFunction` view) → VCode.
//
// Choices that make x64 code good, each local to one IR instruction and its operands:
//  - constants are never materialized at their definition: a use that takes an immediate folds
//    it (ALU, compare, shift, branch), any other use gets a register loaded in its own block;
//  - a comparison whose only use is the block's `brif` (or a `select` in its block) is not
//    materialized as 0/1: the branch compares and jumps (`cmp; jcc`), the select uses cmov;
//  - heap accesses address `[base + index + offset]` in one instruction;
//  - fixed registers (call arguments and results, rax/rdx for division, cl for shifts) are
//    explicit moves to and from physical registers, which the allocator coalesces by hints.
// The Wasm calling convention has no callee-saved registers (docs/adr/0006, 0010), so a call
// clobbers every allocatable register; a builtin is C code and keeps the System V callee-saved ones.

import {
  BackendBailout,
  BailoutReason,
  GLOBAL_SLOT_SIZE,
  InstFlag,
  IntBinaryKind,
  IntCond,
  IrOp,
  LoadKind,
  LoweringKit,
  MemoryRecord,
  RegClass,
  StoreKind,
  VMCTX_GLOBALS,
  VMCTX_MEMORIES,
  VMCTX_MEMORY0_BASE,
  VMCTX_MEMORY0_LENGTH,
  ValueKind,
  bitsOf,
  regSetOf,
  valueKindClass,
  type LoweringFunction,
  type Reg,
  type VCode,
} from '@flint/backend';
import { SYSTEM_V } from '../abi.ts';
import { X64_REGISTERS, r8, rax, rcx, rdi, rdx, rsi } from '../regs.ts';
import { X64Op } from './opcodes.ts';

const NONE = -1;
const INT32_MAX = 0x7fff_ffff;

/** Everything a Wasm call may destroy: every allocatable register (no callee-saved registers). */
const WASM_CLOBBER_INT = regSetOf(X64_REGISTERS.int.allocatable);
const WASM_CLOBBER_FLOAT = regSetOf(X64_REGISTERS.float.allocatable);
/** What a builtin (System V C code) may destroy: its caller-saved registers. */
const C_CLOBBER_INT = regSetOf(X64_REGISTERS.int.allocatable) & ~SYSTEM_V.calleeSavedInt;
const C_CLOBBER_FLOAT = regSetOf(X64_REGISTERS.float.allocatable);
/** Builtin arguments after the VM context: a, b, c, d. */
const BUILTIN_ARGS: readonly Reg[] = [rsi, rdx, rcx, r8];

const LOAD_OF_KIND: readonly number[] = [LoadKind.I32, LoadKind.I64, LoadKind.F32, LoadKind.F64, -1, LoadKind.I64];
const STORE_OF_KIND: readonly number[] = [StoreKind.I32, StoreKind.I64, StoreKind.F32, StoreKind.F64, -1, StoreKind.I64];
const COMMUTATIVE = (kind: number): boolean => kind !== IntBinaryKind.Sub;
/** The condition with operands swapped: a < b ⇔ b > a. */
const SWAPPED: readonly number[] = [
  IntCond.Eq, IntCond.Ne, IntCond.GtS, IntCond.GtU, IntCond.LtS, IntCond.LtU, IntCond.GeS, IntCond.GeU, IntCond.LeS, IntCond.LeU,
];

const sizeOf = bitsOf;

export class X64InstructionSelector {
  private fn!: LoweringFunction;
  private code!: VCode;
  private block = 0;
  private readonly kit = new LoweringKit({
    move: X64Op.Move,
    movImm: X64Op.MovImm,
    loadFloatConst: X64Op.LoadFloatConst,
    loadStackArea: X64Op.LoadStackArea,
    storeStackArea: X64Op.StoreStackArea,
  });

  lower(fn: LoweringFunction, code: VCode): void {
    this.fn = fn;
    this.code = code;
    const kit = this.kit;
    kit.begin(fn, code);
    for (let b = 0; b < fn.blockCount; b++) {
      this.block = b;
      kit.beginBlock(b);
      if (b === 0) kit.params();
      for (let i = fn.firstInst(b); i !== NONE; i = fn.nextInst(i)) this.lowerInst(i);
      code.endBlock(b);
    }
  }

  // --- operands ----------------------------------------------------------------------------------

  private vreg(value: number): number {
    return this.kit.vreg(value);
  }

  private isConst(value: number): boolean {
    return this.kit.isConst(value);
  }

  /** True when `value` is an integer constant usable as a sign-extended 32-bit immediate at `size`. */
  private isImm32(value: number, size: number): boolean {
    if (!this.kit.isIntConst(value)) return false;
    const lo = this.kit.constLo(value);
    return size === 32 || this.kit.constHi(value) === (lo < 0 ? -1 : 0);
  }

  private constLo(value: number): number {
    return this.kit.constLo(value);
  }

  private constHi(value: number): number {
    return this.kit.constHi(value);
  }

  /** The register holding `value` here (see `LoweringKit.reg`). */
  private reg(value: number): number {
    return this.kit.reg(value);
  }

  private move(dst: number, src: number): void {
    this.kit.move(dst, src);
  }

  /** True when `inst`'s result feeds only an instruction that will fold it in (a fused compare). */
  private isFusedCompare(inst: number): boolean {
    const fn = this.fn;
    const op = fn.op(inst);
    if (op !== IrOp.IntCompare) return false;
    const user = fn.soleUser(fn.result(inst, 0));
    if (user === NONE || fn.instBlock(user) !== this.block) return false;
    const userOp = fn.op(user);
    if (userOp === IrOp.Brif) return true;
    // select: only on integers (cmov), and only when the compare is its condition, not a value.
    return userOp === IrOp.Select && fn.arg(user, 0) === fn.result(inst, 0) && valueKindClass(fn.type(user)) === RegClass.Int;
  }

  // --- instructions ------------------------------------------------------------------------------

  private lowerInst(i: number): void {
    const fn = this.fn;
    const code = this.code;
    const op = fn.op(i);
    const offset = fn.wasmOffset(i);
    switch (op) {
      case IrOp.Iconst:
      case IrOp.Fconst:
        return;
      case IrOp.Copy:
        this.move(this.vreg(fn.result(i, 0)), this.reg(fn.arg(i, 0)));
        return;
      case IrOp.IntBinary: {
        const kind = fn.kind(i);
        const size = sizeOf(fn.type(i));
        let lhs = fn.arg(i, 0);
        let rhs = fn.arg(i, 1);
        if (!this.isImm32(rhs, size) && this.isImm32(lhs, size) && COMMUTATIVE(kind)) {
          const t = lhs;
          lhs = rhs;
          rhs = t;
        }
        const dst = this.vreg(fn.result(i, 0));
        if (this.isImm32(rhs, size)) {
          const a = this.reg(lhs);
          const inst = code.addInst(X64Op.AluRI, kind, size, this.constLo(rhs), this.constHi(rhs));
          code.setFlags(inst, InstFlag.TiedHint);
          code.def(dst);
          code.use(a);
        } else {
          const a = this.reg(lhs);
          const b = this.reg(rhs);
          const inst = code.addInst(X64Op.AluRR, kind, size);
          code.setFlags(inst, InstFlag.TiedHint);
          code.def(dst);
          code.use(a);
          code.use(b);
        }
        return;
      }
      case IrOp.Shift: {
        const size = sizeOf(fn.type(i));
        const value = this.reg(fn.arg(i, 0));
        const amount = fn.arg(i, 1);
        const dst = this.vreg(fn.result(i, 0));
        if (this.isConst(amount)) {
          const inst = code.addInst(X64Op.ShiftRI, fn.kind(i), size, this.constLo(amount) & (size - 1));
          code.setFlags(inst, InstFlag.TiedHint);
          code.def(dst);
          code.use(value);
        } else {
          this.move(rcx, this.reg(amount));
          code.addInst(X64Op.ShiftRR, fn.kind(i), size);
          code.earlyDef(dst);
          code.use(value);
          code.use(rcx);
        }
        return;
      }
      case IrOp.Div: {
        const size = sizeOf(fn.type(i));
        const divisor = this.reg(fn.arg(i, 1));
        this.move(rax, this.reg(fn.arg(i, 0)));
        code.addInst(X64Op.Div, fn.kind(i), size, 0, 0, offset);
        code.def(rax);
        code.earlyDef(rdx);
        code.use(rax);
        code.use(divisor);
        this.move(this.vreg(fn.result(i, 0)), fn.kind(i) >= 2 ? rdx : rax);
        return;
      }
      case IrOp.IntUnary:
        this.unary(X64Op.IntUnary, i, sizeOf(fn.type(i)));
        return;
      case IrOp.IntCompare: {
        if (this.isFusedCompare(i)) return;
        const size = sizeOf(fn.valueKind(fn.arg(i, 0)));
        let cond = fn.kind(i);
        let lhs = fn.arg(i, 0);
        let rhs = fn.arg(i, 1);
        if (!this.isImm32(rhs, size) && this.isImm32(lhs, size)) {
          const t = lhs;
          lhs = rhs;
          rhs = t;
          cond = SWAPPED[cond]!;
        }
        const dst = this.vreg(fn.result(i, 0));
        if (this.isImm32(rhs, size)) {
          const a = this.reg(lhs);
          code.addInst(X64Op.CompareImm, cond, size, this.constLo(rhs), this.constHi(rhs));
          code.def(dst);
          code.use(a);
        } else {
          const a = this.reg(lhs);
          const b = this.reg(rhs);
          code.addInst(X64Op.Compare, cond, size);
          code.def(dst);
          code.use(a);
          code.use(b);
        }
        return;
      }
      case IrOp.FloatBinary: {
        const a = this.reg(fn.arg(i, 0));
        const b = this.reg(fn.arg(i, 1));
        const inst = code.addInst(X64Op.FloatBinary, fn.kind(i), sizeOf(fn.type(i)));
        code.setFlags(inst, InstFlag.TiedHint);
        code.def(this.vreg(fn.result(i, 0)));
        code.use(a);
        code.use(b);
        return;
      }
      case IrOp.FloatUnary:
        this.unary(X64Op.FloatUnary, i, sizeOf(fn.type(i)));
        return;
      case IrOp.FloatCompare: {
        const a = this.reg(fn.arg(i, 0));
        const b = this.reg(fn.arg(i, 1));
        code.addInst(X64Op.FloatCompare, fn.kind(i), sizeOf(fn.valueKind(fn.arg(i, 0))));
        code.def(this.vreg(fn.result(i, 0)));
        code.use(a);
        code.use(b);
        return;
      }
      case IrOp.Convert: {
        const src = this.reg(fn.arg(i, 0));
        code.addInst(X64Op.Convert, fn.kind(i), 0, 0, 0, offset);
        code.def(this.vreg(fn.result(i, 0)));
        code.use(src);
        return;
      }
      case IrOp.Select:
        this.select(i);
        return;
      case IrOp.MemoryBase:
      case IrOp.MemoryLength: {
        const memory = fn.imm1(i);
        const dst = this.vreg(fn.result(i, 0));
        if (memory === 0) {
          code.addInst(X64Op.LoadVmctx, op === IrOp.MemoryBase ? VMCTX_MEMORY0_BASE : VMCTX_MEMORY0_LENGTH);
          code.def(dst);
          return;
        }
        const records = code.newVReg(RegClass.Int);
        code.addInst(X64Op.LoadVmctx, VMCTX_MEMORIES);
        code.def(records);
        code.addInst(X64Op.LoadBase, LoadKind.I64, memory * MemoryRecord.size + (op === IrOp.MemoryBase ? MemoryRecord.base : MemoryRecord.length));
        code.def(dst);
        code.use(records);
        return;
      }
      case IrOp.BoundsCheck: {
        const index = this.reg(fn.arg(i, 0));
        const length = this.reg(fn.arg(i, 1));
        code.addInst(X64Op.BoundsCheck, fn.imm0(i), fn.kind(i), 0, 0, offset);
        code.use(index);
        code.use(length);
        return;
      }
      case IrOp.Load: {
        const base = this.reg(fn.arg(i, 0));
        const index = this.reg(fn.arg(i, 1));
        code.addInst(X64Op.Load, fn.kind(i), fn.imm0(i));
        code.def(this.vreg(fn.result(i, 0)));
        code.use(base);
        code.use(index);
        return;
      }
      case IrOp.Store: {
        const base = this.reg(fn.arg(i, 0));
        const index = this.reg(fn.arg(i, 1));
        const value = this.reg(fn.arg(i, 2));
        code.addInst(X64Op.Store, fn.kind(i), fn.imm0(i));
        code.use(base);
        code.use(index);
        code.use(value);
        return;
      }
      case IrOp.GlobalGet:
      case IrOp.GlobalSet:
        this.global(i);
        return;
      case IrOp.Call:
      case IrOp.CallIndirect:
      case IrOp.ReturnCall:
      case IrOp.ReturnCallIndirect:
        this.call(i);
        return;
      case IrOp.CallBuiltin:
        this.builtin(i);
        return;
      case IrOp.Jump: {
        this.kit.jumpArguments(i);
        const inst = code.addInst(X64Op.Jump, fn.targetBlock(i, 0));
        code.setFlags(inst, InstFlag.Terminator);
        return;
      }
      case IrOp.Brif:
        this.brif(i);
        return;
      case IrOp.BrTable: {
        const index = this.reg(fn.arg(i, 0));
        const n = fn.targetCount(i);
        let first = NONE;
        for (let t = 0; t < n; t++) {
          const at = code.addExtra(fn.targetBlock(i, t));
          if (t === 0) first = at;
        }
        const inst = code.addInst(X64Op.BrTable, first, n);
        code.setFlags(inst, InstFlag.Terminator);
        code.use(index);
        return;
      }
      case IrOp.Return:
        this.ret(i);
        return;
      case IrOp.Trap: {
        const inst = code.addInst(X64Op.Trap, fn.imm0(i), 0, 0, 0, offset);
        code.setFlags(inst, InstFlag.Terminator);
        return;
      }
      default:
        throw new BackendBailout(BailoutReason.UnsupportedOperator, `IR op ${op} on x64`);
    }
  }

  private unary(opcode: number, i: number, size: number): void {
    const fn = this.fn;
    const src = this.reg(fn.arg(i, 0));
    const inst = this.code.addInst(opcode, fn.kind(i), size);
    this.code.setFlags(inst, InstFlag.TiedHint);
    this.code.def(this.vreg(fn.result(i, 0)));
    this.code.use(src);
  }

  private select(i: number): void {
    const fn = this.fn;
    const code = this.code;
    const cond = fn.arg(i, 0);
    const def = fn.definingInst(cond);
    const ifTrue = this.reg(fn.arg(i, 1));
    const ifFalse = this.reg(fn.arg(i, 2));
    const dst = this.vreg(fn.result(i, 0));
    if (def !== NONE && this.isFusedCompare(def) && fn.op(def) === IrOp.IntCompare) {
      const size = sizeOf(fn.valueKind(fn.arg(def, 0)));
      const lhs = this.reg(fn.arg(def, 0));
      const rhs = this.reg(fn.arg(def, 1));
      code.addInst(X64Op.CmpSelect, fn.kind(def) | (size << 8), sizeOf(fn.type(i)));
      code.def(dst);
      code.use(lhs);
      code.use(rhs);
      code.use(ifTrue);
      code.use(ifFalse);
      return;
    }
    const c = this.reg(cond);
    const inst = code.addInst(X64Op.Select, 0, sizeOf(fn.type(i)));
    code.setFlags(inst, InstFlag.TiedHint);
    code.def(dst);
    code.use(c);
    code.use(ifTrue);
    code.use(ifFalse);
  }

  private brif(i: number): void {
    const fn = this.fn;
    const code = this.code;
    const cond = fn.arg(i, 0);
    const then = fn.targetBlock(i, 0);
    const otherwise = fn.targetBlock(i, 1);
    const def = fn.definingInst(cond);
    if (def !== NONE && fn.op(def) === IrOp.IntCompare && this.isFusedCompare(def)) {
      const size = sizeOf(fn.valueKind(fn.arg(def, 0)));
      let c = fn.kind(def);
      let lhs = fn.arg(def, 0);
      let rhs = fn.arg(def, 1);
      if (!this.isImm32(rhs, size) && this.isImm32(lhs, size)) {
        const t = lhs;
        lhs = rhs;
        rhs = t;
        c = SWAPPED[c]!;
      }
      if (this.isImm32(rhs, size)) {
        const a = this.reg(lhs);
        const inst = code.addInst(X64Op.CmpBranchImm, c | (size << 8), then, otherwise, this.constLo(rhs));
        code.setFlags(inst, InstFlag.Terminator);
        code.use(a);
      } else {
        const a = this.reg(lhs);
        const b = this.reg(rhs);
        const inst = code.addInst(X64Op.CmpBranch, c | (size << 8), then, otherwise);
        code.setFlags(inst, InstFlag.Terminator);
        code.use(a);
        code.use(b);
      }
      return;
    }
    const r = this.reg(cond);
    const inst = code.addInst(X64Op.Brif, then, otherwise);
    code.setFlags(inst, InstFlag.Terminator);
    code.use(r);
  }

  private global(i: number): void {
    const fn = this.fn;
    const code = this.code;
    const global = fn.imm0(i);
    const imported = fn.imm1(i) === 1;
    const set = fn.op(i) === IrOp.GlobalSet;
    const kind = set ? fn.valueKind(fn.arg(i, 0)) : fn.type(i);
    const value = set ? this.reg(fn.arg(i, 0)) : NONE;
    let cell = code.newVReg(RegClass.Int);
    code.addInst(X64Op.LoadVmctx, VMCTX_GLOBALS);
    code.def(cell);
    let disp = global * GLOBAL_SLOT_SIZE;
    if (disp > INT32_MAX) throw new BackendBailout(BailoutReason.FunctionTooLarge, `global ${global}`);
    if (imported) {
      const pointer = code.newVReg(RegClass.Int);
      code.addInst(X64Op.LoadBase, LoadKind.I64, disp);
      code.def(pointer);
      code.use(cell);
      cell = pointer;
      disp = 0;
    }
    if (set) {
      code.addInst(X64Op.StoreBase, STORE_OF_KIND[kind]!, disp);
      code.use(cell);
      code.use(value);
    } else {
      code.addInst(X64Op.LoadBase, LOAD_OF_KIND[kind]!, disp);
      code.def(this.vreg(fn.result(i, 0)));
      code.use(cell);
    }
  }

  private call(i: number): void {
    const fn = this.fn;
    const code = this.code;
    const op = fn.op(i);
    const indirect = op === IrOp.CallIndirect || op === IrOp.ReturnCallIndirect;
    const tail = op === IrOp.ReturnCall || op === IrOp.ReturnCallIndirect;
    const layout = fn.callLayout(i);
    const argc = layout.params.length;
    const index = indirect ? this.reg(fn.arg(i, argc)) : NONE;
    this.kit.callArguments(i, layout, argc);
    let opcode: number;
    if (tail) opcode = indirect ? X64Op.ReturnCallIndirect : X64Op.ReturnCallDirect;
    else if (indirect) opcode = X64Op.CallIndirect;
    else opcode = fn.imm1(i) === 1 ? X64Op.CallImport : X64Op.CallDirect;
    const inst = code.addInst(opcode, fn.imm0(i), fn.imm1(i), 0, 0, fn.wasmOffset(i));
    if (tail) code.setFlags(inst, InstFlag.Terminator);
    const defs = this.kit.callOperands(layout, !tail);
    if (indirect) code.use(index);
    code.clobber(WASM_CLOBBER_INT & ~defs.intDefs, WASM_CLOBBER_FLOAT & ~defs.floatDefs);
    if (!tail) this.kit.callResults(i, layout);
  }

  private builtin(i: number): void {
    const fn = this.fn;
    const code = this.code;
    const argc = fn.argCount(i);
    const args = [NONE, NONE, NONE];
    for (let k = 0; k < argc; k++) args[k] = this.reg(fn.arg(i, k));
    for (let k = 0; k < argc; k++) this.move(BUILTIN_ARGS[k + 1]!, args[k]!);
    code.addInst(X64Op.MovImm, fn.imm0(i), fn.imm1(i), 64);
    code.def(rsi);
    code.addInst(X64Op.CopyVmctx);
    code.def(rdi);
    const hasResult = fn.resultCount(i) > 0;
    const resultSize = hasResult ? (fn.type(i) === ValueKind.I32 ? 1 : 2) : 0;
    code.addInst(X64Op.CallBuiltin, fn.kind(i), fn.imm2(i), resultSize, 0, fn.wasmOffset(i));
    if (hasResult) code.def(rax);
    code.use(rdi);
    code.use(rsi);
    for (let k = 0; k < argc; k++) code.use(BUILTIN_ARGS[k + 1]!);
    code.clobber(C_CLOBBER_INT & ~(hasResult ? 1 << (rax & 31) : 0), C_CLOBBER_FLOAT);
    if (hasResult) this.move(this.vreg(fn.result(i, 0)), rax);
  }

  private ret(i: number): void {
    this.kit.returnValues(i);
    const inst = this.code.addInst(X64Op.Ret);
    this.code.setFlags(inst, InstFlag.Terminator);
    this.kit.returnOperands();
  }
}

