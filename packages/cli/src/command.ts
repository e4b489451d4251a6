// What every `flint` command receives, and how errors about a module are reported:
// `file:offset: message` for binary errors, `file:line:column: message` for text errors.
import { CompileError } from '@flint/decoder';
import { WatSyntaxError } from '@flint/text';
import type { Style } from './style.ts';

export interface CommandContext {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly style: Style;
  readonly errStyle: Style;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Returns the process exit code. */
  run(ctx: CommandContext, args: readonly string[]): number;
}

/** Exit codes: 1 for a module that is not valid, 2 for a usage error. */
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Prints an error about `file` in the conventional format; rethrows anything unexpected. */
export function reportModuleError(ctx: CommandContext, file: string, error: unknown): number {
  const red = ctx.errStyle.red;
  if (error instanceof CompileError) {
    ctx.err(`${file}:0x${error.offset.toString(16)}: ${red('error:')} ${error.message}`);
    return EXIT_INVALID;
  }
  if (error instanceof WatSyntaxError) {
    ctx.err(`${file}:${error.line}:${error.column}: ${red("error:")} ${error.reason}`);
    return EXIT_INVALID;
  }
  if (error instanceof Error && 'code' in error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
    ctx.err(`${file}: ${red('error:')} no such file`);
    return EXIT_USAGE;
  }
  throw error;
}
