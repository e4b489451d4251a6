// How failures of compiling, linking and running a module are reported: one line naming the
// file, the kind of failure and the engine's message, and an exit code scripts can rely on.
import { basename } from 'node:path';
import { CodeCacheError, LinkError, ResourceLimitError, RuntimeError, UnsupportedError, wasmFramesOf } from '@flint/runtime';
import { WasiError } from '@flint/wasi';
import { type CommandContext, EXIT_INVALID, EXIT_TRAP, reportModuleError } from '../command.ts';

/** Frames printed before the backtrace is cut short (deep recursion records hundreds). */
const BACKTRACE_FRAMES_SHOWN = 40;

/**
 * The Wasm frames of a trap, innermost first, as wasmtime prints them:
 *     wasm backtrace:
 *         0:     0x4a - app.wasm!fib
 *         1:     0x50 - app.wasm!<wasm function 2>
 * The module is named by its name section, else by its file.
 */
export function printBacktrace(ctx: CommandContext, file: string, error: unknown): void {
  const frames = wasmFramesOf(error);
  if (frames.length === 0) return;
  ctx.err('wasm backtrace:');
  const width = Math.max(6, ...frames.slice(0, BACKTRACE_FRAMES_SHOWN).map((frame) => frame.offset.toString(16).length + 2));
  frames.slice(0, BACKTRACE_FRAMES_SHOWN).forEach((frame, i) => {
    const module = frame.script.moduleName ?? basename(file);
    const name = frame.functionName ?? `<wasm function ${frame.funcIndex}>`;
    ctx.err(`  ${String(i).padStart(4)}: ${`0x${frame.offset.toString(16)}`.padStart(width)} - ${module}!${name}`);
  });
  if (frames.length > BACKTRACE_FRAMES_SHOWN) ctx.err(ctx.errStyle.dim(`        … ${frames.length - BACKTRACE_FRAMES_SHOWN} more frames`));
}

export function reportRunError(ctx: CommandContext, file: string, error: unknown): number {
  const red = ctx.errStyle.red;
  if (error instanceof RuntimeError) {
    // A trap (reason set) or a failure while instantiating, e.g. an out-of-bounds data segment.
    ctx.err(`${file}: ${red('error:')} ${error.reason === null ? 'runtime error' : 'trap'}: ${error.message}`);
    printBacktrace(ctx, file, error);
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
  if (error instanceof ResourceLimitError) {
    ctx.err(`${file}: ${red('error:')} cannot instantiate: ${error.message}`);
    return EXIT_INVALID;
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    ctx.err(`${file}: ${red('error:')} trap: call stack exhausted`);
    return EXIT_TRAP;
  }
  return reportModuleError(ctx, file, error);
}
