// What every `flint` command receives, and how errors about a module are reported:
// `file:offset: message` for binary errors, `file:line:column: message` for text errors.
import { CompileError } from '@flint/decoder';
import { WatSyntaxError } from '@flint/text';
import { TextCompileError } from './load.ts';
import type { Style } from './style.ts';

export interface CommandContext {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly style: Style;
  readonly errStyle: Style;
  /** True when stderr is a terminal (progress bars are drawn only there). */
  readonly errIsTTY: boolean;
  /** Writes to stderr without a newline (for redrawing a progress line). */
  readonly errWrite: (text: string) => void;
  /** Where a guest program's stdio goes: host fds, or callbacks when the CLI runs embedded. */
  readonly guestStdio: GuestStdio;
}

export interface GuestStdio {
  readonly stdin: number | Uint8Array;
  readonly stdout: number | ((bytes: Uint8Array) => void);
  readonly stderr: number | ((bytes: Uint8Array) => void);
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Returns the process exit code. */
  run(ctx: CommandContext, args: readonly string[]): number;
}

/**
 * Exit codes: 1 for a module that is not valid (or cannot be linked or run by this engine), 2
 * for a usage error. A guest's own exit code passes through unchanged, so a trap uses 134
 * (128 + SIGABRT, as wasmtime does on Unix): outside the small codes programs usually return.
 * An output file that cannot be written exits with 73.
 */
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;
export const EXIT_TRAP = 134;
/** EX_CANTCREAT of sysexits.h: an output file cannot be written. */
export const EXIT_CANT_CREATE = 73;
/** EX_SOFTWARE of sysexits.h: an error in Flint itself. */
export const EXIT_INTERNAL = 70;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Reading a file given on the command line: the causes worth a sentence of their own. */
const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory, not a module file',
  EACCES: 'permission denied',
  ENOTDIR: 'a component of the path is not a directory',
};

/** Writing an output file: names the file and the cause (`out.flint: error: permission denied`). */
export function reportWriteError(ctx: CommandContext, file: string, error: unknown): number {
  const code = error instanceof Error && 'code' in error ? (error as NodeJS.ErrnoException).code : undefined;
  if (code === undefined) throw error;
  const reason = WRITE_ERRORS[code] ?? FILE_ERRORS[code] ?? (error as Error).message;
  ctx.err(`${file}: ${ctx.errStyle.red('error:')} cannot write: ${reason}`);
  return EXIT_CANT_CREATE;
}

/** Writing a file: causes beyond those of reading. */
const WRITE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such directory',
  EISDIR: 'is a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

/** Prints an error about `file` in the conventional format; rethrows anything unexpected. */
export function reportModuleError(ctx: CommandContext, file: string, error: unknown): number {
  const red = ctx.errStyle.red;
  if (error instanceof CompileError) {
    ctx.err(`${file}:0x${error.offset.toString(16)}: ${red('error:')} ${error.message}`);
    return EXIT_INVALID;
  }
  if (error instanceof TextCompileError) {
    const { line, column } = error.position;
    ctx.err(`${file}:${line}:${column}: ${red('error:')} ${error.error.message} ${ctx.errStyle.dim(`(module offset 0x${error.error.offset.toString(16)})`)}`);
    return EXIT_INVALID;
  }
  if (error instanceof WatSyntaxError) {
    ctx.err(`${file}:${error.line}:${error.column}: ${red("error:")} ${error.reason}`);
    return EXIT_INVALID;
  }
  const code = error instanceof Error && 'code' in error ? (error as NodeJS.ErrnoException).code : undefined;
  if (code !== undefined && code in FILE_ERRORS) {
    ctx.err(`${file}: ${red('error:')} ${FILE_ERRORS[code]}`);
    return EXIT_USAGE;
  }
  throw error;
}
