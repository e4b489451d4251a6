// `flint run`: runs a module natively on Flint's runtime. A WASI command runs its `_start`
// and its exit code becomes the process's; `--invoke` calls one export of a library module
// with arguments parsed from its signature and prints the results, one per line.
import { statSync } from 'node:fs';
import { ExternKind } from '@flint/decoder';
import type { Module as DecodedModule } from '@flint/decoder';
import { DEFAULT_TIER, WebAssembly } from '@flint/runtime';
import { WASI } from '@flint/wasi';
import { type Command, type CommandContext, EXIT_INVALID, EXIT_USAGE, UsageError } from '../command.ts';
import { choice, parseOptions } from '../options.ts';
import { TIERS, loadForRun } from '../run/compile.ts';
import { reportRunError } from '../run/report.ts';
import { formatResult, parseArgument } from '../run/values.ts';

const WASI_MODULE = 'wasi_snapshot_preview1';

export const runCommand: Command = {
  name: 'run',
  summary: 'run a WASI program (or --invoke an export) natively on Flint',
  usage: [
    'flint run [options] <file.wasm|file.wat|file.flint> [args…]',
    '',
    'options (before the file; everything after it goes to the program):',
    '  --dir host[::guest]   preopen a host directory, seen by the program as guest (repeatable)',
    '  --env NAME=VALUE      set an environment variable for the program (repeatable)',
    '  --invoke NAME         call export NAME with args parsed from its signature, print its results',
    `  --tier ${TIERS.join('|')}      the compiler tier (default ${DEFAULT_TIER})`,
    '  --lazy                compile each function on its first call',
    '',
    'A WASI program’s exit code is flint’s; a trap exits with 134. A .flint code cache from',
    '`flint compile` runs without recompiling when this engine built it for this host and tier.',
  ].join('\n'),
  run(ctx, args) {
    const options = parseOptions(args, { dir: 'repeat', env: 'repeat', invoke: 'value', tier: 'value', lazy: 'flag' });
    const [file, ...programArgs] = options.rest;
    if (file === undefined) throw new UsageError('run needs a module file');
    const preopens = parsePreopens(options.repeated.get('dir') ?? []);
    const env = parseEnv(options.repeated.get('env') ?? []);
    const tier = choice(options, 'tier', TIERS, DEFAULT_TIER);
    const invoke = options.values.get('invoke');
    try {
      const { module, decoded } = loadForRun(ctx, file, tier, options.flags.has('lazy'));
      const wasi = new WASI({ args: [file, ...programArgs], env, preopens, ...ctx.guestStdio, returnOnExit: true });
      const foreign = decoded.imports.findIndex((imp) => imp.module !== WASI_MODULE);
      if (foreign >= 0) {
        const imp = decoded.imports[foreign]!;
        ctx.err(`${file}: ${ctx.errStyle.red('error:')} cannot link: import #${foreign} "${imp.module}" "${imp.name}": flint run provides only ${WASI_MODULE}`);
        return EXIT_INVALID;
      }
      const imports = decoded.imports.length > 0 ? wasi.imports : {};
      const instance = new WebAssembly.Instance(module, imports);
      if (invoke !== undefined) return invokeExport(ctx, decoded, instance.exports, wasi, invoke, programArgs);
      if (typeof instance.exports['_start'] !== 'function') {
        ctx.err(`${file}: ${ctx.errStyle.red('error:')} not a WASI command (no _start export): use --invoke <name>`);
        return EXIT_USAGE;
      }
      return wasi.start(instance);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      return reportRunError(ctx, file, error);
    }
  },
};

/** `--dir host[::guest]` → guest path → host directory (the guest path defaults to the host one). */
function parsePreopens(dirs: readonly string[]): Record<string, string> {
  const preopens: Record<string, string> = {};
  for (const dir of dirs) {
    const separator = dir.indexOf('::');
    const host = separator < 0 ? dir : dir.slice(0, separator);
    const guest = separator < 0 ? dir : dir.slice(separator + 2);
    if (host === '' || guest === '') throw new UsageError(`--dir ${dir}: expected host[::guest]`);
    let isDirectory = false;
    try {
      isDirectory = statSync(host).isDirectory();
    } catch {
      throw new UsageError(`--dir ${dir}: no such directory '${host}'`);
    }
    if (!isDirectory) throw new UsageError(`--dir ${dir}: '${host}' is not a directory`);
    if (guest in preopens) throw new UsageError(`--dir ${dir}: guest path '${guest}' given twice`);
    preopens[guest] = host;
  }
  return preopens;
}

function parseEnv(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`--env ${pair}: expected NAME=VALUE`);
    env[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return env;
}

function invokeExport(
  ctx: CommandContext,
  decoded: DecodedModule,
  exports: Record<string, unknown>,
  wasi: WASI,
  name: string,
  args: readonly string[],
): number {
  const entry = decoded.exports.find((exp) => exp.name === name);
  if (entry === undefined || entry.kind !== ExternKind.Func) {
    const functions = decoded.exports.filter((exp) => exp.kind === ExternKind.Func).map((exp) => exp.name);
    throw new UsageError(`no exported function '${name}' (exported functions: ${functions.join(', ') || 'none'})`);
  }
  const type = decoded.types[decoded.functions[entry.index]!]!.composite;
  if (type.kind !== 'func') throw new UsageError(`export '${name}' is not a function`);
  if (args.length !== type.params.length) {
    throw new UsageError(`'${name}' takes ${type.params.length} argument(s), got ${args.length}`);
  }
  const values = type.params.map((param, i) => parseArgument(args[i]!, param, `argument ${i + 1} of '${name}'`));
  // A reactor is initialised (which binds its memory for WASI) before any export is called.
  const isCommand = typeof exports['_start'] === 'function';
  if (!isCommand && exports['memory'] instanceof WebAssembly.Memory) wasi.initialize({ exports });
  let returned: unknown;
  try {
    returned = (exports[name] as (...a: unknown[]) => unknown)(...values);
  } catch (error) {
    // proc_exit inside an export ends the call with that exit code. @flint/wasi does not export
    // its ProcExit class (start() consumes it), so it is recognised by name and shape.
    if (error instanceof Error && error.name === 'ProcExit' && typeof (error as { code?: unknown }).code === 'number') {
      return (error as unknown as { code: number }).code;
    }
    throw error;
  }
  const results = type.results.length === 1 ? [returned] : type.results.length === 0 ? [] : (returned as unknown[]);
  type.results.forEach((result, i) => ctx.out(formatResult(results[i], result)));
  return 0;
}
