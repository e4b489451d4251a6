// Machine code for inspection (`flint disasm`): every defined function compiled for a named
// target, returned as bytes and never placed in executable memory. Compiling is pure
// TypeScript, so any host can produce code for any backend the runtime knows.
//
// The operator map (code offset → Wasm offset) is recorded here, not in the code buffer: the
// baseline compiler announces each operator with `MacroAssembler.setWasmOffset` before
// emitting its code, so wrapping that one method of the target's MacroAssembler sees every
// (code offset, Wasm offset) pair. Normal compiles do not pay for a map nobody reads, and no
// backend has to forward the call.

import { BackendBailout, type Backend, type MacroAssembler, type TrapSite } from '@flint/backend';
import { ExternKind, decodeModule, validateModule, type Module } from '@flint/decoder';
import { bailoutMessage } from './engine.ts';
import { UnsupportedError } from '../errors.ts';
import { backendNamed, registeredBackends } from '../native/backends.ts';
import { DEFAULT_TIER, TierCompilers, requireTier, type TierName } from './tiers.ts';

export interface MachineCodeOptions {
  /** The tier to compile with (default `baseline`). */
  readonly tier?: TierName;
  /** A backend name from the runtime's list (`x64`, `arm64`). */
  readonly target: string;
  /** Compile only this defined function (the module is still validated whole). */
  readonly funcIndex?: number;
}

/** Where the code of one Wasm operator starts. */
export interface OperatorOffset {
  readonly codeOffset: number;
  /** Byte offset of the operator in the module. */
  readonly wasmOffset: number;
}

export interface FunctionMachineCode {
  readonly funcIndex: number;
  /** From the name section, else the first export of the function. */
  readonly name?: string;
  /** The function's bytes as the backend finished them: relocations unresolved. */
  readonly code: Uint8Array;
  /** Sorted by code offset. */
  readonly trapSites: readonly TrapSite[];
  /**
   * Sorted by code offset, one entry per distinct offset. Operators that emit no code of their
   * own (a `local.get` the next operator consumes) share an offset: the last one is kept.
   */
  readonly operatorOffsets: readonly OperatorOffset[];
}

/** Grows by doubling; reset per function. Pairs of (code offset, Wasm offset). */
class OperatorOffsetRecorder {
  #pairs = new Int32Array(256);
  #used = 0;

  reset(): void {
    this.#used = 0;
  }

  record(codeOffset: number, wasmOffset: number): void {
    const used = this.#used;
    if (used > 0 && this.#pairs[used - 2] === codeOffset) {
      this.#pairs[used - 1] = wasmOffset;
      return;
    }
    if (used + 2 > this.#pairs.length) {
      const grown = new Int32Array(this.#pairs.length * 2);
      grown.set(this.#pairs);
      this.#pairs = grown;
    }
    this.#pairs[used] = codeOffset;
    this.#pairs[used + 1] = wasmOffset;
    this.#used = used + 2;
  }

  /** The recorded pairs, without entries past the end of the code (an operator that emitted nothing last). */
  offsets(codeLength: number): OperatorOffset[] {
    const out: OperatorOffset[] = [];
    for (let i = 0; i < this.#used; i += 2) {
      const codeOffset = this.#pairs[i]!;
      if (codeOffset < codeLength) out.push({ codeOffset, wasmOffset: this.#pairs[i + 1]! });
    }
    return out;
  }
}

/** `backend`, with each MacroAssembler it creates reporting operator starts to `recorder`. */
function recordingBackend(backend: Backend, recorder: OperatorOffsetRecorder): Backend {
  return {
    ...backend,
    createMacroAssembler(options) {
      const masm: MacroAssembler = backend.createMacroAssembler(options);
      const setWasmOffset = masm.setWasmOffset.bind(masm);
      masm.setWasmOffset = (wasmOffset: number): void => {
        recorder.record(masm.offset, wasmOffset);
        setWasmOffset(wasmOffset);
      };
      return masm;
    },
  };
}

function targetBackend(target: string): Backend {
  const backend = backendNamed(target);
  if (backend === undefined) throw new UnsupportedError(`target not supported: ${target} (known: ${registeredBackends().map((known) => known.name).join(', ')})`);
  return backend;
}

function functionName(module: Module, funcIndex: number): string | undefined {
  return module.names?.functions.get(funcIndex) ?? module.exports.find((exp) => exp.kind === ExternKind.Func && exp.index === funcIndex)?.name;
}

/**
 * Decodes, validates and compiles every defined function of `bytes` (or only
 * `options.funcIndex`) for `options.target`, in index order. Throws `CompileError` for
 * malformed or invalid modules, `RangeError` for a `funcIndex` that is not a defined function,
 * and `UnsupportedError` for an unknown target or tier, or when the tier bails out.
 */
export function compileMachineCode(bytes: Uint8Array, options: MachineCodeOptions): FunctionMachineCode[] {
  const tier = requireTier(options.tier ?? DEFAULT_TIER);
  const recorder = new OperatorOffsetRecorder();
  const backend = recordingBackend(targetBackend(options.target), recorder);
  const compilers = new TierCompilers(backend);
  const module = decodeModule(bytes);
  const validation = validateModule(module);
  let bodies = module.codes;
  if (options.funcIndex !== undefined) {
    const body = module.codes[options.funcIndex - module.numImportedFunctions];
    if (body === undefined || !Number.isInteger(options.funcIndex)) {
      throw new RangeError(`function #${options.funcIndex} is not defined in the module (defined: #${module.numImportedFunctions}..#${module.functions.length - 1})`);
    }
    bodies = [body];
  }
  return bodies.map((body) => {
    recorder.reset();
    let finished;
    try {
      finished = compilers.compile(tier.name, { module, validation, funcIndex: body.funcIndex, body });
    } catch (error) {
      if (error instanceof BackendBailout) throw new UnsupportedError(bailoutMessage(error, validation, body.funcIndex));
      throw error;
    }
    const name = functionName(module, body.funcIndex);
    return {
      funcIndex: body.funcIndex,
      ...(name === undefined ? {} : { name }),
      code: finished.code,
      trapSites: finished.trapSites,
      operatorOffsets: recorder.offsets(finished.code.length),
    };
  });
}
