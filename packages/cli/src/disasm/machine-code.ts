// The machine code `flint disasm` prints, obtained from the runtime (the only package that
// knows the backends). The runtime does not expose it yet: this is the API the CLI asks of it,
// looked up at run time so the command reports clearly until it exists.
//
// Requested of @flint/runtime (pure: compiles, places nothing in executable memory):
//   compileMachineCode(bytes: Uint8Array, options: { tier?: 'baseline'; target: 'x64' | 'arm64' })
//     → FunctionMachineCode[] (one per defined function, in index order)
import * as runtime from '@flint/runtime';
import type { TrapSite } from '@flint/backend';

export const TARGETS = ['x64', 'arm64'] as const;
export type Target = (typeof TARGETS)[number];

export interface FunctionMachineCode {
  readonly funcIndex: number;
  /** The function's bytes as the backend finished them (relocations unresolved). */
  readonly code: Uint8Array;
  readonly trapSites: readonly TrapSite[];
  /** Where the code of each Wasm operator starts, if the compiler records it (sorted). */
  readonly operatorOffsets?: readonly { readonly codeOffset: number; readonly wasmOffset: number }[];
}

type CompileMachineCode = (bytes: Uint8Array, options: { tier: 'baseline'; target: Target }) => FunctionMachineCode[];

/** The runtime's machine-code API, or null while it does not have one. */
export function machineCodeCompiler(): CompileMachineCode | null {
  const api = (runtime as Record<string, unknown>)['compileMachineCode'];
  return typeof api === 'function' ? (api as CompileMachineCode) : null;
}

/** The architecture of this process as a target name, if it is one. */
export function hostTarget(): Target | null {
  return process.arch === 'x64' ? 'x64' : process.arch === 'arm64' ? 'arm64' : null;
}
