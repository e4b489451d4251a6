// The validate-only engine: decode + validate, no execution. It supports every feature the
// validator knows, so its skips are only "needs execution".
import { decodeModule, validateModule } from '@flint/decoder';
import type { CompileOutcome, EngineUnderTest } from '../engine.ts';

export const validateEngine: EngineUnderTest = {
  name: 'validate',
  executes: false,
  features: null,
  compile(bytes: Uint8Array): CompileOutcome {
    try {
      const { features } = validateModule(decodeModule(bytes));
      return { ok: true, module: null, features };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error : new Error(`thrown non-error: ${String(error)}`) };
    }
  },
};
