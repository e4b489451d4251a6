// The official testsuite's binary-form modules: every `(module binary …)` that decodes must
// validate, and every `(assert_invalid (module binary …) "reason")` must fail with that reason.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TESTSUITE, hasTestsuite } from '@flint/test-support';
import { CompileError } from '../src/errors.ts';
import { decodeModule } from '../src/streaming.ts';
import { validateModule } from '../src/validate/module-validator.ts';
import { wastBinaries } from './validate-wast-binary.ts';

const SUITE = TESTSUITE;
const dirs = [SUITE, join(SUITE, 'proposals/custom-page-sizes'), join(SUITE, 'proposals/wide-arithmetic'), join(SUITE, 'proposals/threads'), join(SUITE, 'legacy')];
const files = hasTestsuite() ? dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.wast')).map((f) => join(d, f))) : [];

/** The custom-page-sizes proposal gives limits flag bit 3 a meaning; only its own directory enables it. */
const optionsFor = (file: string) => ({ features: { customPageSizes: file.includes('/proposals/custom-page-sizes/') } });

function tryDecode(bytes: Uint8Array, file: string): { module: ReturnType<typeof decodeModule> | null; error: string | null } {
  try {
    return { module: decodeModule(bytes, optionsFor(file)), error: null };
  } catch (e) {
    return { module: null, error: e instanceof Error ? e.message : String(e) };
  }
}

describe.skipIf(files.length === 0)('spec testsuite binary modules (skipped when the testsuite is absent)', () => {
  for (const file of files) {
    const cases = wastBinaries(file);
    if (cases.length === 0) continue;
    describe(file.slice(SUITE.length + 1), () => {
      for (const c of cases) {
        const { module, error } = tryDecode(c.bytes, file);
        if (c.kind === 'module') {
          // A module the decoder rejects belongs to assert_malformed coverage, not to the validator.
          if (module === null) continue;
          it(`line ${c.line}: validates`, () => {
            expect(() => validateModule(module)).not.toThrow();
          });
        } else {
          it(`line ${c.line}: invalid with "${c.reason}"`, () => {
            if (module === null) throw new Error(`the decoder rejected an assert_invalid module: ${error}`);
            let thrown: unknown = null;
            try {
              validateModule(module);
            } catch (e) {
              thrown = e;
            }
            expect(thrown).toBeInstanceOf(CompileError);
            expect((thrown as CompileError).message.startsWith(c.reason!), (thrown as CompileError).message).toBe(true);
          });
        }
      }
    });
  }
});
