// Feature truth (issue 10, item 7): what the engine cannot execute, validate rejects and compile
// refuses with a CompileError (offset and reason), eagerly and lazily, synchronously and
// asynchronously — so wasm-feature-detect style probes tell the truth.
import { describe, expect, it } from 'vitest';
import { ValType } from '@flint/decoder';
import { ModuleBuilder, op } from '@flint/decoder/testing';
import { Engine, UnsupportedFeatureError, WebAssembly } from '../../src/index.ts';
import { registeredBackends, registeredTiers } from '../../src/index.ts';

const onHost = process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64');

/** A module whose one function uses `body`; `feature` is what it needs. */
function probe(body: number[], results: ValType[] = []): Uint8Array {
  const b = new ModuleBuilder();
  const type = b.addType({ params: [], results });
  b.addFunction(type, [], [...body, ...op('end')]);
  return b.toBytes();
}

// The feature detection probes of wasm-feature-detect, for features no tier implements yet.
const PROBES: { feature: string; bytes: Uint8Array }[] = [
  // exceptions: (try_table (do nothing))
  { feature: 'exceptions', bytes: probe([...op('try_table', undefined, []), ...op('end')]) },
  // gc: (drop (ref.i31 (i32.const 0)))
  { feature: 'gc', bytes: probe([...op('i32.const', 0), ...op('ref.i31'), ...op('drop')]) },
];

describe.skipIf(!onHost)('feature truth', () => {
  it('the probes use features every registered tier lacks (else this test must pick others)', () => {
    for (const { feature } of PROBES) for (const tier of registeredTiers()) for (const backend of registeredBackends()) expect(tier.supportsOperators(feature as never, backend)).toBe(false);
  });

  for (const { feature, bytes } of PROBES) {
    it(`${feature}: validate is false; Module, compile and lazy compile throw a CompileError naming it, with its offset`, async () => {
      expect(WebAssembly.validate(bytes)).toBe(false);
      for (const lazy of [false, true]) {
        let error: unknown;
        try {
          new WebAssembly.Module(bytes, { lazy });
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(WebAssembly.CompileError);
        expect(error).toBeInstanceOf(UnsupportedFeatureError);
        expect((error as UnsupportedFeatureError).feature).toBe(feature);
        expect((error as Error).message).toMatch(new RegExp(`^proposal not supported: ${feature} \\(at byte 0x[0-9a-f]+\\)$`));
        expect((error as UnsupportedFeatureError).offset).toBeGreaterThan(8);
      }
      await expect(WebAssembly.compile(bytes)).rejects.toBeInstanceOf(WebAssembly.CompileError);
      await expect(new Engine({ compileWorkers: 0 }).compileAsync(bytes)).rejects.toBeInstanceOf(UnsupportedFeatureError);
    });
  }

  it('a module of supported features validates and compiles', () => {
    const bytes = probe([...op('i32.const', 1), ...op('i32.extend8_s')], [ValType.I32]);
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(new WebAssembly.Module(bytes)).toBeInstanceOf(WebAssembly.Module);
  });
});
