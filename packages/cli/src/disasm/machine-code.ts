// The targets `flint disasm` compiles for: the backends in the runtime's registry (the only
// package that knows them), which compiles for any of them on any host (`compileMachineCode`).
import { registeredBackends } from '@flint/runtime';
import type { IsaDescriptor } from '@flint/backend';

/** A registered backend's name. */
export type Target = string;

/** The registered targets, in registration order. */
export function targets(): readonly Target[] {
  return registeredBackends().map((backend) => backend.name);
}

/** The descriptor of target `name` (which must be registered). */
export function targetIsa(name: Target): IsaDescriptor {
  const backend = registeredBackends().find((known) => known.name === name);
  if (backend === undefined) throw new Error(`unknown target ${name}`);
  return backend.isa;
}

/** The target whose code this process runs natively, if one is registered. */
export function hostTarget(): Target | null {
  return registeredBackends().find((backend) => backend.isa.nodeArch === process.arch)?.name ?? null;
}
