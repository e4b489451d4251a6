// `flint compile <file> -o <file.flint>`: compiles a module ahead of time and writes a code
// cache that `flint run` loads without recompiling (src/cache/format.ts describes the file; the
// runtime's serialised code is its payload).
import { writeFileSync } from 'node:fs';
import { DEFAULT_TIER, ENGINE_VERSION } from '@flint/runtime';
import { encodeCodeCache } from '../cache/format.ts';
import { type Command, UsageError } from '../command.ts';
import { loadModule } from '../load.ts';
import { choice, parseOptions } from '../options.ts';
import { TIERS, compileForRun } from '../run/compile.ts';
import { reportRunError } from '../run/report.ts';

export const compileCommand: Command = {
  name: 'compile',
  summary: 'compile a module ahead of time into a code cache that flint run loads',
  usage: `flint compile [--tier ${TIERS.join('|')}] <file.wasm|file.wat> -o <file.flint>`,
  run(ctx, args) {
    const options = parseOptions(
      args.map((arg) => (arg === '-o' ? '--output' : arg)),
      { tier: 'value', output: 'value' },
      true,
    );
    if (options.rest.length !== 1) throw new UsageError('compile takes exactly one module file');
    const file = options.rest[0]!;
    const output = options.values.get('output');
    if (output === undefined) throw new UsageError('compile needs -o <file.flint>');
    const tier = choice(options, 'tier', TIERS, DEFAULT_TIER);
    try {
      const { bytes } = loadModule(file);
      const { compiled } = compileForRun(ctx, file, bytes, tier, false);
      const cache = encodeCodeCache({ key: { engine: ENGINE_VERSION, tier, target: process.arch }, module: bytes, payload: compiled.serialize() });
      writeFileSync(output, cache);
      ctx.out(`${output}: ${cache.length} bytes (${tier}, ${process.arch}, engine ${ENGINE_VERSION})`);
      return 0;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      return reportRunError(ctx, file, error);
    }
  },
};
