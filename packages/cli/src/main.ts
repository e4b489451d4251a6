// The `flint` command line: a table of commands, `--help` for each, exit codes that scripts
// can rely on (0 ok, 1 invalid module, 2 usage error, 134 trap, 70 internal error).
import { type Command, type CommandContext, EXIT_INTERNAL, EXIT_USAGE, UsageError } from './command.ts';
import { compileCommand } from './commands/compile.ts';
import { disasmCommand } from './commands/disasm.ts';
import { inspectCommand } from './commands/inspect.ts';
import { runCommand } from './commands/run.ts';
import { validateCommand } from './commands/validate.ts';
import { wastCommand } from './commands/wast.ts';
import { styleFor } from './style.ts';

const COMMANDS: readonly Command[] = [runCommand, wastCommand, disasmCommand, compileCommand, validateCommand, inspectCommand];

/** An output stream: `process.stdout`/`process.stderr`, or a test's capture. */
export interface MainOutput {
  write(data: string | Uint8Array): unknown;
  readonly isTTY?: boolean;
  /** A host fd: guest programs then write to it directly (WASI writes are synchronous). */
  readonly fd?: number;
}

export interface MainIO {
  readonly stdout: MainOutput;
  readonly stderr: MainOutput;
  /** What a guest program reads as stdin: a host fd (default 0) or bytes. */
  readonly stdin?: number | Uint8Array;
}

function guestOutput(stream: MainOutput): number | ((bytes: Uint8Array) => void) {
  return typeof stream.fd === 'number' ? stream.fd : (bytes) => stream.write(bytes);
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'flint — the Flint WebAssembly engine',
    '',
    'usage: flint <command> [options] [args]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `flint <command> --help` for a command’s options.',
  ].join('\n');
}

export function main(argv: readonly string[], io: MainIO = { stdout: process.stdout, stderr: process.stderr }): number {
  const ctx: CommandContext = {
    out: (line) => io.stdout.write(line + '\n'),
    err: (line) => io.stderr.write(line + '\n'),
    style: styleFor(io.stdout),
    errStyle: styleFor(io.stderr),
    errIsTTY: Boolean(io.stderr.isTTY),
    errWrite: (text) => io.stderr.write(text),
    guestStdio: { stdin: io.stdin ?? 0, stdout: guestOutput(io.stdout), stderr: guestOutput(io.stderr) },
  };
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ctx.out(helpText());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    ctx.err(`flint: unknown command '${name}'\n\n${helpText()}`);
    return EXIT_USAGE;
  }
  if (args.includes('--help') || args.includes('-h')) {
    ctx.out(`${command.summary}\n\nusage: ${command.usage}`);
    return 0;
  }
  try {
    return command.run(ctx, args);
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.err(`flint ${command.name}: ${error.message}\nusage: ${command.usage}`);
      return EXIT_USAGE;
    }
    // A bug of Flint's, not the user's: say so in one line (the stack with FLINT_DEBUG=1).
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    ctx.err(`flint ${command.name}: internal error: ${detail}`);
    if (process.env.FLINT_DEBUG && error instanceof Error && error.stack) ctx.err(error.stack);
    return EXIT_INTERNAL;
  }
}
