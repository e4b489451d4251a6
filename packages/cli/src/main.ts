// The `flint` command line: a table of commands, `--help` for each, exit codes that scripts
// can rely on (0 ok, 1 invalid module, 2 usage error).
import { type Command, type CommandContext, EXIT_USAGE, UsageError } from './command.ts';
import { inspectCommand } from './commands/inspect.ts';
import { validateCommand } from './commands/validate.ts';
import { styleFor } from './style.ts';

const COMMANDS: readonly Command[] = [validateCommand, inspectCommand];

export interface MainIO {
  readonly stdout: { write(s: string): unknown; isTTY?: boolean };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
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

export function main(argv: readonly string[], io: MainIO = process): number {
  const ctx: CommandContext = {
    out: (line) => io.stdout.write(line + '\n'),
    err: (line) => io.stderr.write(line + '\n'),
    style: styleFor(io.stdout),
    errStyle: styleFor(io.stderr),
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
    throw error;
  }
}
