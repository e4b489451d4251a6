// The shared configuration, with the optimizing tier checking its own work on every function
// these tests compile (IR verifier after each pass, register-allocation checker).
import { mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

export default mergeConfig(shared, { test: { env: { FLINT_VERIFY: '1' } } });
