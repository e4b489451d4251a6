// How failures of compiling, linking and running a module are reported: one line naming the
// file, the kind of failure and the engine's message, and an exit code scripts can rely on.
import { CodeCacheError, LinkError, RuntimeError, UnsupportedError } from '@flint/runtime';
import { WasiError } from '@flint/wasi';
import { type CommandContext, EXIT_INVALID, EXIT_TRAP, reportModuleError } from '../command.ts';

export function reportRunError(ctx: CommandContext, file: string, error: unknown): number {
  const red = ctx.errStyle.red;
  if (error instanceof RuntimeError) {
    // A trap (reason set) or a failure while instantiating, e.g. an out-of-bounds data segment.
    ctx.err(`${file}: ${red('error:')} ${error.reason === null ? 'runtime error' : 'trap'}: ${error.message}`);
    return EXIT_TRAP;
  }
  if (error instanceof LinkError) {
    ctx.err(`${file}: ${red('error:')} cannot link: ${error.message}`);
    return EXIT_INVALID;
  }
  if (error instanceof UnsupportedError) {
    ctx.err(`${file}: ${red('error:')} not supported by Flint: ${error.message}`);
    return EXIT_INVALID;
  }
  if (error instanceof CodeCacheError) {
    ctx.err(`${file}: ${red('error:')} code cache: ${error.message}`);
    return EXIT_INVALID;
  }
  if (error instanceof WasiError) {
    ctx.err(`${file}: ${red('error:')} WASI: ${error.message}`);
    return EXIT_INVALID;
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    ctx.err(`${file}: ${red('error:')} trap: call stack exhausted`);
    return EXIT_TRAP;
  }
  return reportModuleError(ctx, file, error);
}
