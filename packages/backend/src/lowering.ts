// SKETCH — the lowering contract for the optimizing tier. Nothing implements it yet; it records
// the intended shape so the optimizing-tier and ISA engineers design against the same picture,
// and it will change when the IR exists. The shape follows Cranelift: the ISA supplies only
// instruction selection and its register description; the shared machinery (code buffer, label
// fix-ups, ABI driver, register allocator) exists once.
//
//   machine-independent IR ──lower──▶ ISA instructions with virtual registers
//        ──register allocation (MachineEnv)──▶ physical registers ──emit──▶ CodeBuffer
//
// What emitted code owes the runtime, as the baseline tier's does (stack traces and the
// debugger depend on it): a frame-pointer chain in every frame (see `Backend.emitTrapExit`), a
// trap site for every trap with its Wasm offset (`CodeBuffer.addTrapSite`), and a call site for
// every call (`CodeBuffer.addCallSite`: return address → Wasm offset of the calling operator).
// Once this tier inlines, a site inside inlined code names the innermost function's operator, and
// the sites will carry the chain of enclosing calls (function index, Wasm offset of the call) so
// that the runtime expands one machine frame into one frame per inlined function
// (`framesAtSite` in the runtime's observe/stack-trace.ts is where that expansion goes).

import type { CallingConvention } from './abi.ts';
import type { CodeBuffer } from './code-buffer.ts';
import type { Reg, RegClass } from './regs.ts';

/** A virtual register of the optimizing tier's IR: an integer, distinct from physical `Reg`s. */
export type VReg = number;

/** What the register allocator needs to know about the machine (regalloc2's `MachineEnv`). */
export interface MachineEnv {
  /** Allocatable registers per class, preferred (caller-saved) first. */
  readonly preferred: Readonly<Record<RegClass, readonly Reg[]>>;
  /** Allocatable callee-saved registers per class, used when the preferred ones run out. */
  readonly nonPreferred: Readonly<Record<RegClass, readonly Reg[]>>;
  /** Registers reserved for spill/move cycles per class. */
  readonly scratch: Readonly<Record<RegClass, Reg>>;
}

/** A machine-independent instruction as lowering sees it (opcode + operand vregs + immediates). */
export interface LoweringInput {
  readonly opcode: number;
  readonly inputs: readonly VReg[];
  readonly outputs: readonly VReg[];
  readonly immediates: readonly number[];
}

/** One ISA's instruction selection. */
export interface InstructionLowering<Inst> {
  readonly env: MachineEnv;
  readonly callingConvention: CallingConvention;
  /** Appends the ISA instructions for `input` (still on virtual registers) to `out`. */
  lower(input: LoweringInput, out: Inst[]): void;
  /** Register uses and defs of an ISA instruction, for the allocator. */
  operands(inst: Inst, uses: VReg[], defs: VReg[]): void;
  /** Encodes an allocated instruction through the ISA's assembler. */
  emit(inst: Inst, assignment: (v: VReg) => Reg, buffer: CodeBuffer): void;
}
