// Small shared pieces of the kit runner: group reports, registers free for temporaries, and
// functions built through a backend's MacroAssembler.

import type { Backend, FinishedCode, MacroAssembler, Reg } from '@flint/backend';
import { RegClass } from '@flint/backend';

export interface GroupReport {
  readonly group: string;
  readonly cases: number;
  readonly passed: number;
  readonly failures: readonly { readonly name: string; readonly problems: readonly string[] }[];
}

/** Collects the checks of one group; a check returns its problems (empty = passed). */
export class Group {
  readonly #name: string;
  #cases = 0;
  readonly #failures: { name: string; problems: string[] }[] = [];

  constructor(name: string) {
    this.#name = name;
  }

  check(name: string, body: () => readonly string[]): void {
    this.#cases++;
    let problems: string[];
    try {
      problems = [...body()];
    } catch (error) {
      problems = [`threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`];
    }
    if (problems.length > 0) this.#failures.push({ name, problems });
  }

  report(): GroupReport {
    return { group: this.#name, cases: this.#cases, passed: this.#cases - this.#failures.length, failures: this.#failures };
  }
}

/**
 * `count` allocatable registers of `cls` that no argument or result of the Wasm calling
 * convention uses, for temporaries that must not disturb live parameters.
 */
export function freeRegisters(backend: Backend, cls: RegClass, count: number): Reg[] {
  const cc = backend.callingConvention;
  const busy = new Set<Reg>([...cc.intArgs, ...cc.intResults, ...cc.floatArgs, ...cc.floatResults]);
  const pool = cls === RegClass.Int ? backend.registers.int.allocatable : backend.registers.float.allocatable;
  const free = pool.filter((reg) => !busy.has(reg));
  if (free.length < count) throw new Error(`${backend.name}: only ${free.length} free registers of class ${cls}, ${count} needed`);
  return free.slice(0, count);
}

/** A whole function: prologue (16 frame bytes), `body`, epilogue. */
export function buildFunction(backend: Backend, body: (masm: MacroAssembler) => void): FinishedCode {
  const masm = backend.createMacroAssembler();
  masm.prologue(16);
  body(masm);
  masm.epilogue();
  return masm.finish();
}

const scratch = new DataView(new ArrayBuffer(8));

/** An f64 in the engine's raw form (its IEEE bits as an unsigned bigint). */
export function f64Raw(x: number): bigint {
  scratch.setFloat64(0, x, true);
  return scratch.getBigUint64(0, true);
}

/** An f32 in the engine's raw form (its IEEE bits as an unsigned number). */
export function f32Raw(x: number): number {
  scratch.setFloat32(0, x, true);
  return scratch.getUint32(0, true);
}

export const describeValues = (values: readonly unknown[]): string => values.map(String).join(', ');
