// The optimizing compiler: one function at a time, through the pipeline below. The folder tree
// follows it (frontend/, passes/, regalloc/); the ISA's half is the backend contract's
// `IsaLowering` (instruction selection and encoding), so nothing here names an ISA.
//
//   operator loop ──translate (SSA, Braun et al.)──▶ IR
//     ──passes (passes/pipeline.ts)──▶ IR ──split critical edges, lay out──▶ IR in final block order
//     ──IsaLowering.lower──▶ VCode ──linear scan (regalloc/)──▶ Allocation ──IsaLowering.emit──▶ FinishedCode
//
// With `verify`, the IR verifier runs after translation and after every pass, and the allocation
// checker after register allocation: tests and the conformance runs turn miscompiles into
// failures at the step that made them. Anything this tier cannot compile raises `BackendBailout`
// (the engine then uses the baseline tier for that function), never wrong code.

import { BackendBailout, BailoutReason, FIRST_VIRTUAL_REG, VCode, computeCallLayout, type Backend, type FinishedCode, type IsaLowering } from '@flint/backend';
import type { FunctionCompileInput } from '@flint/decoder';
import { Cfg } from './analysis/cfg.ts';
import { ModuleInfo } from './frontend/module-info.ts';
import { SsaBuilder } from './frontend/ssa-builder.ts';
import { BodyTranslator } from './frontend/translator.ts';
import { IrFunction, NONE } from './ir/function.ts';
import { assertValid } from './ir/verifier.ts';
import { Inliner } from './frontend/inliner.ts';
import { PassPipeline, type PassName } from './passes/pipeline.ts';
import { removeUnreachableBlocks } from './passes/remove-unreachable-blocks.ts';
import { splitCriticalEdges } from './passes/split-edges.ts';
import { checkAllocation } from './regalloc/checker.ts';
import { printVCode } from './regalloc/print.ts';
import { printFunction } from './ir/printer.ts';
import { LinearScanAllocator } from './regalloc/linear-scan.ts';
import { PhaseClock } from './phase-clock.ts';

/** Where compile time and effort go; pass one object to many compilations to accumulate. */
export interface OptimizingStats {
  functions: number;
  /** Bytes of operator code read (function bodies without local declarations), inlined bodies excluded. */
  bodyBytes: number;
  codeBytes: number;
  milliseconds: number;
  /** IR instructions after the passes. */
  irInstructions: number;
  vcodeInstructions: number;
  /** Values that spent part of their life in a spill slot, and moves the allocator added. */
  spilledValues: number;
  allocatorMoves: number;
  /** Calls inlined. */
  inlinedCalls: number;
  /** What each pass changed, summed (its own unit: instructions removed, checks removed, …). */
  passChanges: Record<string, number>;
  /** Milliseconds per step: translate, each pass, layout, lower, the allocator's phases, emit. */
  phaseMilliseconds: Record<string, number>;
}

export function createOptimizingStats(): OptimizingStats {
  return { functions: 0, bodyBytes: 0, codeBytes: 0, milliseconds: 0, irInstructions: 0, vcodeInstructions: 0, spilledValues: 0, allocatorMoves: 0, inlinedCalls: 0, passChanges: {}, phaseMilliseconds: {} };
}

export interface OptimizingCompileOptions {
  readonly stats?: OptimizingStats;
  /** Verify the IR after every step and check the register allocation (tests; slower). */
  readonly verify?: boolean;
  /** Passes to leave out (to measure what each one pays). */
  readonly disabledPasses?: readonly PassName[];
  /** Inline small direct callees (default true). */
  readonly inlining?: boolean;
}

/** The part of a `Backend` this tier uses. */
export type OptimizingBackend = Pick<Backend, 'callingConvention' | 'createLowering'>;

/** Register allocation gets quadratic on huge functions; they go to the baseline tier. */
const MAX_IR_INSTRUCTIONS = 200_000;

export class OptimizingCompiler {
  private readonly backend: OptimizingBackend;
  private loweringOf: IsaLowering | null = null;
  private readonly fn = new IrFunction();
  private readonly ssa = new SsaBuilder();
  private readonly translator = new BodyTranslator();
  private readonly cfg = new Cfg();
  private readonly passes = new PassPipeline();
  private readonly vcode = new VCode();
  private readonly allocator = new LinearScanAllocator();
  private readonly inliner = new Inliner();
  private info: ModuleInfo | null = null;

  constructor(backend: OptimizingBackend) {
    this.backend = backend;
  }

  /** The ISA's lowering, created at the first compilation (translation alone needs none). */
  private get lowering(): IsaLowering {
    return (this.loweringOf ??= this.backend.createLowering());
  }

  /** Compiles one function body to finished machine code. */
  compile(input: FunctionCompileInput, options: OptimizingCompileOptions = {}): FinishedCode {
    const stats = options.stats;
    const started = stats ? performance.now() : 0;
    const { module, body } = input;
    const funcIndex = body.funcIndex;
    if (!(Number.isInteger(funcIndex) && funcIndex >= module.numImportedFunctions && funcIndex < module.functions.length)) {
      throw new RangeError(`optimizing compiler: the body given is of function #${funcIndex}, which is not a function this module defines`);
    }
    const phase = stats ? new PhaseClock(stats.phaseMilliseconds) : null;
    const fn = this.translate(input, options);
    phase?.lap('translate');
    const verify = options.verify === true;
    if (verify) assertValid(fn, 'translation', this.cfg);
    this.passes.run(fn, this.cfg, this.info!, verify, options.disabledPasses ?? [], stats);
    phase?.restart();
    this.layOut(fn, verify);
    if (fn.instCount > MAX_IR_INSTRUCTIONS) throw new BackendBailout(BailoutReason.FunctionTooLarge, `${fn.instCount} IR instructions`);
    const code = this.vcode;
    this.describeBlocks(fn, code);
    phase?.lap('layout');
    this.lowering.lower(fn, code);
    phase?.lap('lower');
    const allocation = this.allocator.allocate(code, this.lowering.env, phase);
    if (verify) {
      try {
        checkAllocation(code, allocation, (b, k) => this.allocator.paramLocation(b, k));
      } catch (error) {
        // The failing function, whole: what a bug report needs.
        if (error instanceof Error) error.message += `\n${printFunction(fn)}\n${printVCode(code, allocation)}`;
        throw error;
      }
      phase?.restart();
    }
    const finished = this.lowering.emit(code, allocation);
    phase?.lap('emit');
    if (stats) {
      stats.functions++;
      stats.bodyBytes += body.code.bytes.length;
      stats.codeBytes += finished.code.length;
      stats.irInstructions += countInstructions(fn);
      stats.vcodeInstructions += code.instCount;
      stats.spilledValues += this.allocator.stats.spilledValues;
      stats.allocatorMoves += this.allocator.stats.moves;
      stats.milliseconds += performance.now() - started;
    }
    return finished;
  }

  /** The function's IR straight after translation (for tests and the golden files). */
  translate(input: FunctionCompileInput, options: OptimizingCompileOptions = {}): IrFunction {
    const { module, body } = input;
    const funcIndex = body.funcIndex;
    let info = this.info;
    if (info === null || info.module !== module) {
      info = this.info = new ModuleInfo(module, this.backend.callingConvention);
      this.inliner.reset(info);
    }
    const typeIndex = info.typeOfFunction(funcIndex);
    const signature = info.signature(typeIndex);
    const fn = this.fn;
    fn.reset(signature, computeCallLayout(this.backend.callingConvention, signature));
    this.ssa.reset(fn);
    this.inliner.begin(body, options.inlining !== false, options.stats);
    this.translator.translateFunction(fn, this.ssa, info, funcIndex, body, this.inliner);
    return fn;
  }

  /** Final CFG shape for lowering: no unreachable blocks, no critical edges, blocks numbered in layout order. */
  private layOut(fn: IrFunction, verify: boolean): void {
    removeUnreachableBlocks(fn, this.cfg);
    splitCriticalEdges(fn, this.cfg);
    fn.renumberBlocksInLayoutOrder();
    if (verify) assertValid(fn, 'layout', this.cfg);
    fn.computeUses();
  }

  private succs = new Int32Array(16);

  /** Tells the VCode about the final blocks: edges (one per distinct neighbour), loop depth, parameters. */
  private describeBlocks(fn: IrFunction, code: VCode): void {
    const cfg = this.cfg;
    cfg.compute(fn);
    code.reset(fn.blockCount);
    for (let b = 0; b < fn.blockCount; b++) {
      const t = fn.terminator(b);
      let n = 0;
      const targets = t === NONE ? 0 : fn.targetCount(t);
      if (this.succs.length < targets) this.succs = new Int32Array(targets * 2);
      for (let k = 0; k < targets; k++) {
        const s = fn.targetBlock(t, k);
        let seen = false;
        for (let j = 0; j < n; j++) if (this.succs[j] === s) seen = true;
        if (!seen) this.succs[n++] = s;
      }
      const preds = cfg.preds.data.subarray(cfg.predStart[b]!, cfg.predStart[b]! + cfg.predCount[b]!);
      code.setBlockEdges(b, this.succs, n, preds, preds.length, cfg.loopDepth[b]!);
    }
    // The entry's parameters are the function's: the ISA defines them from the calling convention.
    for (let b = 1; b < fn.blockCount; b++) {
      for (let k = 0; k < fn.blockParamCount(b); k++) code.addBlockParam(b, FIRST_VIRTUAL_REG + fn.blockParam(b, k));
    }
  }
}

function countInstructions(fn: IrFunction): number {
  let n = 0;
  for (let b = 0; b < fn.blockCount; b++) for (let i = fn.firstInst(b); i !== NONE; i = fn.nextInst(i)) n++;
  return n;
}
