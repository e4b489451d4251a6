// The `flint` command line: a table of commands, `--help` for each, exit codes that scripts
// can rely on (0 ok, 1 invalid module, 2 usage error, 134 trap, 70 internal error).
import { existsSync } from 'node:fs';
import { ENGINE_VERSION, registeredTiers } from '@flint/runtime';
import packageJson from '../package.json' with { type: 'json' };
import { type Command, type CommandContext, EXIT_INTERNAL, EXIT_USAGE, UsageError } from './command.ts';
import { compileCommand } from './commands/compile.ts';
import { debugCommand } from './commands/debug.ts';
import { disasmCommand } from './commands/disasm.ts';
import { inspectCommand } from './commands/inspect.ts';
import { RUN_OPTIONS, runCommand } from './commands/run.ts';
import { parseOptions } from './options.ts';
import { validateCommand } from './commands/validate.ts';
import { wastCommand } from './commands/wast.ts';
import { styleFor } from './style.ts';

const COMMANDS: readonly Command[] = [runCommand, debugCommand, wastCommand, disasmCommand, compileCommand, validateCommand, inspectCommand];

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
    '`flint <file> [args…]` is `flint run <file> [args…]`.',
    'Run `flint help <command>` (or `flint <command> --help`) for a command’s options.',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return `${command.summary}\n\nusage: ${command.usage}`;
}

/** `flint --version`: the CLI's version, the engine build its code caches are keyed by, the host. */
export function versionText(): string {
  const tiers = registeredTiers().map((tier) => tier.name).join(', ');
  return `flint ${packageJson.version} (engine ${ENGINE_VERSION}; ${process.arch}; tiers: ${tiers})`;
}

/** Module files run by `flint <file>`: what `flint run` accepts. */
const MODULE_EXTENSIONS = ['.wasm', '.wat', '.wast', '.flint'];

/**
 * Whether `name`, which names no command, is a module to run (`flint app.wasm` is `flint run
 * app.wasm`): a module file name, or any existing file. A typo of a command stays a usage error.
 */
function isModuleArgument(name: string): boolean {
  if (name.startsWith('-')) return false;
  return MODULE_EXTENSIONS.some((ext) => name.endsWith(ext)) || existsSync(name);
}

/**
 * `--help`/`-h` among a command's own options. For `run`, only before the module file: after it,
 * every argument is the program's (`flint run app.wasm --help` passes `--help` to the program).
 */
function commandWantsHelp(command: Command, args: readonly string[]): boolean {
  const isHelp = (arg: string) => arg === '--help' || arg === '-h';
  if (command !== runCommand) return args.some(isHelp);
  try {
    const leading = parseOptions(args.map((arg) => (arg === '-h' ? '--help' : arg)), { ...RUN_OPTIONS, help: 'flag' });
    return leading.flags.has('help');
  } catch {
    return false; // the command itself reports the usage error
  }
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
  let [name, ...args] = argv;
  if (name === '--version' || name === '-V') {
    ctx.out(versionText());
    return 0;
  }
  if (name === 'help' && args.length > 0) {
    const topic = COMMANDS.find((c) => c.name === args[0]);
    if (topic === undefined) {
      ctx.err(`flint help: unknown command '${args[0]}'\n\n${helpText()}`);
      return EXIT_USAGE;
    }
    ctx.out(commandHelp(topic));
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ctx.out(helpText());
    return name === undefined ? EXIT_USAGE : 0;
  }
  let command = COMMANDS.find((c) => c.name === name);
  if (command === undefined && isModuleArgument(name)) {
    // `flint app.wasm args…`: everything after the file belongs to the program, as with `run`.
    command = runCommand;
    args = [...argv];
    name = runCommand.name;
  } else if (command === undefined) {
    ctx.err(`flint: unknown command '${name}'\n\n${helpText()}`);
    return EXIT_USAGE;
  } else if (commandWantsHelp(command, args)) {
    ctx.out(commandHelp(command));
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
