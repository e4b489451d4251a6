// The backend registry: the one place that knows which instruction-set backends exist. One row
// per ISA; everything ISA-specific elsewhere (the host's backend, `flint disasm --target`, the
// instruction-cache flush, the conformance engines, emulation, the code-cache key) is derived
// from the rows and their `isa` descriptors. Adding an ISA adds its package to package.json and
// one row here.

import { BackendBailout, BailoutReason, type Backend } from '@flint/backend';
import { arm64Backend } from '@flint/codegen-arm64';
import { x64Backend } from '@flint/codegen-x64';

const registry: Backend[] = [x64Backend, arm64Backend];

/** Every registered backend, in registration order. */
export function registeredBackends(): readonly Backend[] {
  return registry;
}

/**
 * Adds a backend at run time (a contributor's ISA before it has its row, or a test's mock ISA).
 * Its name must be new; a backend for an architecture already served does not replace the
 * registered one as the host's.
 */
export function registerBackend(backend: Backend): void {
  if (registry.some((known) => known.name === backend.name)) throw new Error(`a backend named ${backend.name} is already registered`);
  registry.push(backend);
}

/** The backend registered as `name`, or undefined. */
export function backendNamed(name: string): Backend | undefined {
  return registry.find((known) => known.name === name);
}

/** The backend whose code runs natively on `arch` (default: this process's architecture). */
export function backendForHost(arch: string = process.arch): Backend {
  const backend = registry.find((known) => known.isa.nodeArch === arch);
  if (backend === undefined) throw new BackendBailout(BailoutReason.UnsupportedHost, `no code generator for ${arch} hosts`);
  return backend;
}
