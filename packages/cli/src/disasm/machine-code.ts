// The targets `flint disasm` compiles for: the backends of the runtime (the only package that
// knows them), which compiles for any of them on any host (`compileMachineCode`).
export const TARGETS = ['x64', 'arm64'] as const;
export type Target = (typeof TARGETS)[number];

/** The architecture of this process as a target name, if it is one. */
export function hostTarget(): Target | null {
  return process.arch === 'x64' ? 'x64' : process.arch === 'arm64' ? 'arm64' : null;
}
