// Shared test set-up: a backend stand-in for the parts of the tier that never reach an ISA
// (translation and passes), and the pass runner the golden files use.

import { BackendBailout, BailoutReason, type CallingConvention } from '@flint/backend';
import type { OptimizingBackend } from '../src/compiler.ts';
import { TEXT_CONVENTION } from '../src/ir/parser.ts';

/** A calling convention with two integer and two float argument registers (numbers only: no ISA). */
export const TEST_CONVENTION: CallingConvention = {
  ...TEXT_CONVENTION,
  name: 'test',
  intArgs: [0, 1],
  floatArgs: [32, 33],
  intResults: [0],
  floatResults: [32],
};

/** Translation and passes only: lowering is refused. */
export const NO_ISA: OptimizingBackend = {
  callingConvention: TEST_CONVENTION,
  createLowering: () => {
    throw new BackendBailout(BailoutReason.UnsupportedHost, 'tests of the IR have no ISA');
  },
};
