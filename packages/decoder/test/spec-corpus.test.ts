// The decoder against every `(module binary …)` of the official testsuite: well-formed modules
// decode (and their operators scan); malformed ones fail with a CompileError whose reason is
// the testsuite's, or an end-of-input reason where the testsuite's fixture relies on the
// reference interpreter reading past a section's declared end (see below).
import { describe, expect, it } from 'vitest';
import type { Module } from '../src/index.ts';
import { CompileError, Immediates, OperatorReader, decodeModule } from '../src/index.ts';
import { loadBinaryModules } from './support/wast-corpus.ts';

/** Decodes and runs the operator loop over every body, as validation will. */
function decodeAndScan(bytes: Uint8Array, where: string): Module {
  const m = decodeModule(bytes, optionsFor(where));
  const reader = new OperatorReader(new Immediates());
  for (const body of m.codes) reader.read(body.code, 0, { visit() {} }, true, `function #${body.funcIndex}`);
  return m;
}

/** Only the custom-page-sizes proposal's own files opt into its limits flag (core says 0x08 is malformed). */
const optionsFor = (where: string) => ({ features: { customPageSizes: where.startsWith('proposals/custom-page-sizes/') } });

function outcome(bytes: Uint8Array, where: string): CompileError | null {
  try {
    decodeAndScan(bytes, where);
    return null;
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
}

/**
 * Reasons that mean "the input ended where the fixture did not expect". The reference
 * interpreter reads a section's entries without bounding them by the declared size and only
 * compares positions afterwards, so fixtures with a deliberately wrong size fail there with the
 * entry's own reason; this decoder bounds every read by the section and body sizes, so the same
 * bytes fail at the boundary first.
 */
const BOUNDARY_REASONS = [
  'unexpected end',
  'END opcode expected',
  'section size mismatch',
  'length out of bounds',
  'malformed section id',
  'function and code section have inconsistent lengths',
];

const corpus = loadBinaryModules();
// The custom-descriptors proposal adds operators (ref.get_desc, ref.cast_desc_eq, …) that the
// opcode table does not have yet; its modules are decoded but their bodies are not scanned.
const UNSUPPORTED_OPERATORS_DIR = 'proposals/custom-descriptors/';

describe('spec testsuite binary modules', () => {
  it('finds the binary modules', () => {
    expect(corpus.length).toBeGreaterThan(1000);
  });

  it('decodes every well-formed module', () => {
    const failures: string[] = [];
    for (const m of corpus.filter((m) => m.assertion !== 'assert_malformed')) {
      try {
        if (m.where.startsWith(UNSUPPORTED_OPERATORS_DIR)) decodeModule(m.bytes);
        else decodeAndScan(m.bytes, m.where);
      } catch (e) {
        failures.push(`${m.where}: ${String(e)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('rejects every malformed module, with the testsuite’s reason or a boundary reason', () => {
    const malformed = corpus.filter((m) => m.assertion === 'assert_malformed');
    const accepted: string[] = [];
    const unexplained: string[] = [];
    let exact = 0;
    let considered = 0;
    for (const m of malformed) {
      // "data count section required" is decided by validation here (it needs the operator
      // stream and the module's sections together), so the decoder alone accepts these.
      if (m.expected === 'data count section required') continue;
      considered++;
      const error = outcome(m.bytes, m.where);
      if (error === null) {
        accepted.push(`${m.where} (expected "${m.expected}")`);
      } else if (m.expected !== null && error.message.startsWith(m.expected)) {
        exact++;
      } else if (!BOUNDARY_REASONS.some((r) => error.message.startsWith(r))) {
        unexplained.push(`${m.where}: expected "${m.expected}", got "${error.message}"`);
      }
    }
    expect(accepted).toEqual([]);
    expect(unexplained).toEqual([]);
    // Most reasons match word for word; the rest are boundary reasons, as explained above.
    expect(exact / considered).toBeGreaterThan(0.95);
  });
});
