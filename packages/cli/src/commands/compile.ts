// `flint compile <file> -o <file.flint>`: compiles a module ahead of time and writes a code
// cache that `flint run` loads without recompiling: the runtime's one code-cache container
// (packages/runtime/src/code/serialize.ts), with the module bytes inside.
import { writeFileSync } from 'node:fs';
import { DEFAULT_TIER, ENGINE_VERSION, Engine } from '@flint/runtime';
import { type Command, UsageError, reportWriteError } from '../command.ts';
import { loadModule, locatingErrors } from '../load.ts';
import { choice, parseOptions } from '../options.ts';
import { TIERS, compileForRun } from '../run/compile.ts';
import { reportRunError } from '../run/report.ts';
import { printCompileStatistics } from '../run/stats.ts';

export const compileCommand: Command = {
  name: 'compile',
  summary: 'compile a module ahead of time into a code cache that flint run loads',
  usage: `flint compile [--tier ${TIERS.join('|')}] [--stats] <file.wasm|file.wat> -o <file.flint>`,
  run(ctx, args) {
    const options = parseOptions(
      args.map((arg) => (arg === '-o' ? '--output' : arg)),
      { tier: 'value', output: 'value', stats: 'flag' },
      true,
    );
    if (options.rest.length !== 1) throw new UsageError('compile takes exactly one module file');
    const file = options.rest[0]!;
    const output = options.values.get('output');
    if (output === undefined) throw new UsageError('compile needs -o <file.flint>');
    const tier = choice(options, 'tier', TIERS, DEFAULT_TIER);
    const engine = options.flags.has('stats') ? new Engine() : undefined;
    try {
      const loaded = loadModule(file);
      const bytes = loaded.bytes;
      const { compiled } = locatingErrors(loaded, () => compileForRun(ctx, file, bytes, tier, false, engine));
      const cache = compiled.serialize({ moduleBytes: true });
      try {
        writeFileSync(output, cache);
      } catch (error) {
        return reportWriteError(ctx, output, error);
      }
      ctx.out(`${output}: ${cache.length} bytes (${tier}, ${process.arch}, engine ${ENGINE_VERSION})`);
      return 0;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      return reportRunError(ctx, file, error);
    } finally {
      if (engine !== undefined) printCompileStatistics(ctx, engine.compileStats());
    }
  },
};
