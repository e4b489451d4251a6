// Instruction selection for arm64: IR (through the contract's `LoweringFunction` view) → VCode.
//
// As on x64: constants fold into their users (the MacroAssembler picks the immediate form or
// goes through x16), a comparison whose only use is the block's `brif` or a `select` becomes
// `cmp; b.cond` / `cmp; csel`, and call arguments, results and returned values are moves to and
// from the convention's registers (the shared `LoweringKit`). A64 is three-address with no
// instruction that pins a register, so division and shifts take any registers.
// Wasm calls clobber every allocatable register (docs/adr/0020); a builtin is AAPCS64 C code,
// which preserves x19–x28 and the low halves of v8–v15.

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
import { AAPCS64 } from '../abi.ts';
import { ARM64_REGISTERS, xRegs } from '../regs.ts';
import { Arm64Op } from './opcodes.ts';

const NONE = -1;
const INT32_MAX = 0x7fff_ffff;

const WASM_CLOBBER_INT = regSetOf(ARM64_REGISTERS.int.allocatable);
const WASM_CLOBBER_FLOAT = regSetOf(ARM64_REGISTERS.float.allocatable);
const C_CLOBBER_INT = regSetOf(ARM64_REGISTERS.int.allocatable) & ~AAPCS64.calleeSavedInt;
const C_CLOBBER_FLOAT = regSetOf(ARM64_REGISTERS.float.allocatable) & ~AAPCS64.calleeSavedFloat;
/** A builtin's arguments: the VM context, then a, b, c, d (AAPCS64's first integer registers). */
const BUILTIN_ARGS: readonly Reg[] = [xRegs[0]!, xRegs[1]!, xRegs[2]!, xRegs[3]!, xRegs[4]!];
const X0 = xRegs[0]!;

const LOAD_OF_KIND: readonly number[] = [LoadKind.I32, LoadKind.I64, LoadKind.F32, LoadKind.F64, -1, LoadKind.I64];
const STORE_OF_KIND: readonly number[] = [StoreKind.I32, StoreKind.I64, StoreKind.F32, StoreKind.F64, -1, StoreKind.I64];
/** The condition with operands swapped: a < b ⇔ b > a. */
const SWAPPED: readonly number[] = [
  IntCond.Eq, IntCond.Ne, IntCond.GtS, IntCond.GtU, IntCond.LtS, IntCond.LtU, IntCond.GeS, IntCond.GeU, IntCond.LeS, IntCond.LeU,
];

export class Arm64InstructionSelector {
  private fn!: LoweringFunction;
  private code!: VCode;
  private block = 0;
  private readonly kit = new LoweringKit({
    move: Arm64Op.Move,
    movImm: Arm64Op.MovImm,
    loadFloatConst: Arm64Op.LoadFloatConst,
    loadStackArea: Arm64Op.LoadStackArea,
    storeStackArea: Arm64Op.StoreStackArea,
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

  private vreg(value: number): number {
    return this.kit.vreg(value);
  }

  private reg(value: number): number {
    return this.kit.reg(value);
  }

  /** An integer constant that fits a sign-extended 32-bit immediate at `size` (the rest go through x16 anyway). */
  private isImm32(value: number, size: number): boolean {
    if (!this.kit.isIntConst(value)) return false;
    const lo = this.kit.constLo(value);
    return size === 32 || this.kit.constHi(value) === (lo < 0 ? -1 : 0);
  }

  /** An instruction of `opcode` with one def and the given uses. */
  private op(opcode: number, imm0: number, imm1: number, dst: number, a: number, b = NONE, imm2 = 0, imm3 = 0, offset = -1): void {
    const code = this.code;
    code.addInst(opcode, imm0, imm1, imm2, imm3, offset);
    code.def(dst);
    code.use(a);
    if (b !== NONE) code.use(b);
  }

  private isFusedCompare(inst: number): boolean {
    const fn = this.fn;
    if (fn.op(inst) !== IrOp.IntCompare) return false;
    const user = fn.soleUser(fn.result(inst, 0));
    if (user === NONE || fn.instBlock(user) !== this.block) return false;
    if (fn.op(user) === IrOp.Brif) return true;
    return fn.op(user) === IrOp.Select && fn.arg(user, 0) === fn.result(inst, 0);
  }

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
        this.kit.move(this.vreg(fn.result(i, 0)), this.reg(fn.arg(i, 0)));
        return;
      case IrOp.IntBinary: {
        const size = bitsOf(fn.type(i));
        let lhs = fn.arg(i, 0);
        let rhs = fn.arg(i, 1);
        if (!this.kit.isIntConst(rhs) && this.kit.isIntConst(lhs) && fn.kind(i) !== IntBinaryKind.Sub) {
          const t = lhs;
          lhs = rhs;
          rhs = t;
        }
        const dst = this.vreg(fn.result(i, 0));
        if (this.kit.isIntConst(rhs)) {
          const a = this.reg(lhs);
          code.addInst(Arm64Op.AluRI, fn.kind(i), size, this.kit.constLo(rhs), this.kit.constHi(rhs));
          code.def(dst);
          code.use(a);
        } else {
          this.op(Arm64Op.AluRR, fn.kind(i), size, dst, this.reg(lhs), this.reg(rhs));
        }
        return;
      }
      case IrOp.Shift: {
        const size = bitsOf(fn.type(i));
        const value = this.reg(fn.arg(i, 0));
        const amount = fn.arg(i, 1);
        const dst = this.vreg(fn.result(i, 0));
        if (this.kit.isIntConst(amount)) this.op(Arm64Op.ShiftRI, fn.kind(i), size, dst, value, NONE, this.kit.constLo(amount) & (size - 1));
        else this.op(Arm64Op.ShiftRR, fn.kind(i), size, dst, value, this.reg(amount));
        return;
      }
      case IrOp.Div: {
        const a = this.reg(fn.arg(i, 0));
        const b = this.reg(fn.arg(i, 1));
        this.op(Arm64Op.Div, fn.kind(i), bitsOf(fn.type(i)), this.vreg(fn.result(i, 0)), a, b, 0, 0, offset);
        return;
      }
      case IrOp.IntUnary:
        this.op(Arm64Op.IntUnary, fn.kind(i), bitsOf(fn.type(i)), this.vreg(fn.result(i, 0)), this.reg(fn.arg(i, 0)));
        return;
      case IrOp.IntCompare: {
        if (this.isFusedCompare(i)) return;
        const size = bitsOf(fn.valueKind(fn.arg(i, 0)));
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
        if (this.isImm32(rhs, size)) this.op(Arm64Op.CompareImm, cond, size, dst, this.reg(lhs), NONE, this.kit.constLo(rhs), this.kit.constHi(rhs));
        else this.op(Arm64Op.Compare, cond, size, dst, this.reg(lhs), this.reg(rhs));
        return;
      }
      case IrOp.FloatBinary:
        this.op(Arm64Op.FloatBinary, fn.kind(i), bitsOf(fn.type(i)), this.vreg(fn.result(i, 0)), this.reg(fn.arg(i, 0)), this.reg(fn.arg(i, 1)));
        return;
      case IrOp.FloatUnary:
        this.op(Arm64Op.FloatUnary, fn.kind(i), bitsOf(fn.type(i)), this.vreg(fn.result(i, 0)), this.reg(fn.arg(i, 0)));
        return;
      case IrOp.FloatCompare:
        this.op(Arm64Op.FloatCompare, fn.kind(i), bitsOf(fn.valueKind(fn.arg(i, 0))), this.vreg(fn.result(i, 0)), this.reg(fn.arg(i, 0)), this.reg(fn.arg(i, 1)));
        return;
      case IrOp.Convert:
        this.op(Arm64Op.Convert, fn.kind(i), 0, this.vreg(fn.result(i, 0)), this.reg(fn.arg(i, 0)), NONE, 0, 0, offset);
        return;
      case IrOp.Select:
        this.select(i);
        return;
      case IrOp.MemoryBase:
      case IrOp.MemoryLength: {
        const memory = fn.imm1(i);
        const dst = this.vreg(fn.result(i, 0));
        if (memory === 0) {
          code.addInst(Arm64Op.LoadVmctx, op === IrOp.MemoryBase ? VMCTX_MEMORY0_BASE : VMCTX_MEMORY0_LENGTH);
          code.def(dst);
          return;
        }
        const records = code.newVReg(RegClass.Int);
        code.addInst(Arm64Op.LoadVmctx, VMCTX_MEMORIES);
        code.def(records);
        this.op(Arm64Op.LoadBase, LoadKind.I64, memory * MemoryRecord.size + (op === IrOp.MemoryBase ? MemoryRecord.base : MemoryRecord.length), dst, records);
        return;
      }
      case IrOp.BoundsCheck: {
        const index = this.reg(fn.arg(i, 0));
        const length = this.reg(fn.arg(i, 1));
        code.addInst(Arm64Op.BoundsCheck, fn.imm0(i), fn.kind(i), 0, 0, offset);
        code.use(index);
        code.use(length);
        return;
      }
      case IrOp.Load:
        this.op(Arm64Op.Load, fn.kind(i), fn.imm0(i), this.vreg(fn.result(i, 0)), this.reg(fn.arg(i, 0)), this.reg(fn.arg(i, 1)));
        return;
      case IrOp.Store: {
        const base = this.reg(fn.arg(i, 0));
        const index = this.reg(fn.arg(i, 1));
        const value = this.reg(fn.arg(i, 2));
        code.addInst(Arm64Op.Store, fn.kind(i), fn.imm0(i));
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
        const inst = code.addInst(Arm64Op.Jump, fn.targetBlock(i, 0));
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
        const inst = code.addInst(Arm64Op.BrTable, first, n);
        code.setFlags(inst, InstFlag.Terminator);
        code.use(index);
        return;
      }
      case IrOp.Return: {
        this.kit.returnValues(i);
        const inst = code.addInst(Arm64Op.Ret);
        code.setFlags(inst, InstFlag.Terminator);
        this.kit.returnOperands();
        return;
      }
      case IrOp.Trap: {
        const inst = code.addInst(Arm64Op.Trap, fn.imm0(i), 0, 0, 0, offset);
        code.setFlags(inst, InstFlag.Terminator);
        return;
      }
      default:
        throw new BackendBailout(BailoutReason.UnsupportedOperator, `IR op ${op} on arm64`);
    }
  }

  private select(i: number): void {
    const fn = this.fn;
    const code = this.code;
    const cond = fn.arg(i, 0);
    const def = fn.definingInst(cond);
    const ifTrue = this.reg(fn.arg(i, 1));
    const ifFalse = this.reg(fn.arg(i, 2));
    const dst = this.vreg(fn.result(i, 0));
    if (def !== NONE && this.isFusedCompare(def) && valueKindClass(fn.type(i)) === RegClass.Int) {
      const size = bitsOf(fn.valueKind(fn.arg(def, 0)));
      const lhs = this.reg(fn.arg(def, 0));
      const rhs = this.reg(fn.arg(def, 1));
      code.addInst(Arm64Op.CmpSelect, fn.kind(def) | (size << 8), bitsOf(fn.type(i)));
      code.def(dst);
      code.use(lhs);
      code.use(rhs);
      code.use(ifTrue);
      code.use(ifFalse);
      return;
    }
    const c = this.reg(cond);
    code.addInst(Arm64Op.Select, 0, bitsOf(fn.type(i)));
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
    if (def !== NONE && this.isFusedCompare(def)) {
      const size = bitsOf(fn.valueKind(fn.arg(def, 0)));
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
        const inst = code.addInst(Arm64Op.CmpBranchImm, c | (size << 8), then, otherwise, this.kit.constLo(rhs));
        code.setFlags(inst, InstFlag.Terminator);
        code.use(a);
      } else {
        const a = this.reg(lhs);
        const b = this.reg(rhs);
        const inst = code.addInst(Arm64Op.CmpBranch, c | (size << 8), then, otherwise);
        code.setFlags(inst, InstFlag.Terminator);
        code.use(a);
        code.use(b);
      }
      return;
    }
    const r = this.reg(cond);
    const inst = code.addInst(Arm64Op.Brif, then, otherwise);
    code.setFlags(inst, InstFlag.Terminator);
    code.use(r);
  }

  private global(i: number): void {
    const fn = this.fn;
    const code = this.code;
    const global = fn.imm0(i);
    const set = fn.op(i) === IrOp.GlobalSet;
    const kind = set ? fn.valueKind(fn.arg(i, 0)) : fn.type(i);
    const value = set ? this.reg(fn.arg(i, 0)) : NONE;
    let cell = code.newVReg(RegClass.Int);
    code.addInst(Arm64Op.LoadVmctx, VMCTX_GLOBALS);
    code.def(cell);
    let disp = global * GLOBAL_SLOT_SIZE;
    if (disp > INT32_MAX) throw new BackendBailout(BailoutReason.FunctionTooLarge, `global ${global}`);
    if (fn.imm1(i) === 1) {
      const pointer = code.newVReg(RegClass.Int);
      this.op(Arm64Op.LoadBase, LoadKind.I64, disp, pointer, cell);
      cell = pointer;
      disp = 0;
    }
    if (set) {
      code.addInst(Arm64Op.StoreBase, STORE_OF_KIND[kind]!, disp);
      code.use(cell);
      code.use(value);
    } else {
      this.op(Arm64Op.LoadBase, LOAD_OF_KIND[kind]!, disp, this.vreg(fn.result(i, 0)), cell);
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
    if (tail) opcode = indirect ? Arm64Op.ReturnCallIndirect : Arm64Op.ReturnCallDirect;
    else if (indirect) opcode = Arm64Op.CallIndirect;
    else opcode = fn.imm1(i) === 1 ? Arm64Op.CallImport : Arm64Op.CallDirect;
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
    for (let k = 0; k < argc; k++) this.kit.move(BUILTIN_ARGS[k + 2]!, args[k]!);
    code.addInst(Arm64Op.MovImm, fn.imm0(i), fn.imm1(i), 64);
    code.def(BUILTIN_ARGS[1]!);
    code.addInst(Arm64Op.CopyVmctx);
    code.def(X0);
    const hasResult = fn.resultCount(i) > 0;
    code.addInst(Arm64Op.CallBuiltin, fn.kind(i), fn.imm2(i), hasResult ? (fn.type(i) === ValueKind.I32 ? 1 : 2) : 0, 0, fn.wasmOffset(i));
    if (hasResult) code.def(X0);
    for (let k = 0; k < argc + 2; k++) code.use(BUILTIN_ARGS[k]!);
    code.clobber(C_CLOBBER_INT & ~(hasResult ? 1 : 0), C_CLOBBER_FLOAT);
    if (hasResult) this.kit.move(this.vreg(fn.result(i, 0)), X0);
  }
}
