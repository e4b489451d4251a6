// The runtime's backend lookup: the one place that knows which instruction-set backends exist.
// Adding an ISA adds one case here.

import { BackendBailout, BailoutReason, type Backend } from '@flint/backend';
import { arm64Backend } from '@flint/codegen-arm64';
import { x64Backend } from '@flint/codegen-x64';

/** Every backend the runtime knows, by name (structural conformance runs on all of them). */
export const KNOWN_BACKENDS: readonly Backend[] = [x64Backend, arm64Backend];

/** The backend that generates code for `arch` (default: this process's architecture). */
export function backendForHost(arch: string = process.arch): Backend {
  switch (arch) {
    case 'x64':
      return x64Backend;
    case 'arm64':
      return arm64Backend;
    default:
      throw new BackendBailout(BailoutReason.UnsupportedHost, `no code generator for ${arch} hosts`);
  }
}
