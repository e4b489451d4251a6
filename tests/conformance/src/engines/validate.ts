// The validate-only engine: decode + validate, no execution. It supports every feature the
// validator knows, so its skips are only "needs execution".
import { decodeModule, validateModule, type DecodeOptions } from '@flint/decoder';
import type { CompileOutcome, EngineUnderTest } from '../engine.ts';

/** Decodes and validates, reporting the features the module uses; never throws. */
export function compileWithValidator(bytes: Uint8Array, options?: DecodeOptions): CompileOutcome {
  try {
    const { features } = validateModule(decodeModule(bytes, options));
    return { ok: true, module: null, features };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(`thrown non-error: ${String(error)}`) };
  }
}

export const validateEngine: EngineUnderTest = {
  name: 'validate',
  executes: false,
  features: null,
  compile: compileWithValidator,
};
