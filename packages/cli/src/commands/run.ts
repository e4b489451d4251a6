// `flint run`: runs a module natively on Flint's runtime. A WASI command runs its `_start`
// and its exit code becomes the process's; `--invoke` calls one export of a library module
// with arguments parsed from its signature and prints the results, one per line.
import { statSync } from 'node:fs';
import { ExternKind } from '@flint/decoder';
import type { Module as DecodedModule } from '@flint/decoder';
import { DEFAULT_TIER, Engine, WebAssembly, perfMapPath, type ResourceLimits } from '@flint/runtime';
import { WASI } from '@flint/wasi';
import { type Command, type CommandContext, EXIT_INVALID, EXIT_USAGE, UsageError } from '../command.ts';
import { type OptionSpec, choice, parseOptions } from '../options.ts';
import { TIERS, loadForRun, type CompiledForRun } from '../run/compile.ts';
import { reportRunError } from '../run/report.ts';
import { printCompileStatistics } from '../run/stats.ts';
import { formatResult, parseArgument } from '../run/values.ts';

const WASI_MODULE = 'wasi_snapshot_preview1';

/** The options of `flint run`, all before the module file. */
export const RUN_OPTIONS: OptionSpec = {
  dir: 'repeat',
  env: 'repeat',
  invoke: 'value',
  tier: 'value',
  lazy: 'flag',
  stats: 'flag',
  'perf-map': 'flag',
  timeout: 'value',
  fuel: 'value',
  'max-memory': 'value',
  'max-table-elements': 'value',
  'max-wasm-stack': 'value',
  'max-module-size': 'value',
};

const BYTE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3, p: 65536, page: 65536, pages: 65536 };

/** `--max-memory`/`--max-wasm-stack`/`--max-module-size` values: bytes, with an optional unit (KiB, MiB, GiB) or in 64 KiB pages (`16pages`). */
export function parseByteSize(option: string, text: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match === null ? undefined : BYTE_UNITS[match[2]!.toLowerCase()];
  if (match === null || unit === undefined) throw new UsageError(`--${option} ${text}: expected a size such as 1048576, 64KiB, 16MiB, 1GiB or 16pages`);
  const bytes = Number(match[1]) * unit;
  if (!Number.isSafeInteger(bytes)) throw new UsageError(`--${option} ${text}: too large`);
  return bytes;
}

/** `--fuel`/`--max-table-elements` values: a non-negative integer. */
export function parseCount(option: string, text: string): number {
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) throw new UsageError(`--${option} ${text}: expected a non-negative integer`);
  return Number(text);
}

/** `--timeout` values: a number with a unit (ms, s, m), e.g. `500ms`, `1s`, `2m`. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text.trim());
  if (match === null) throw new UsageError(`--timeout ${text}: expected a duration such as 500ms, 1s or 2m`);
  const value = Number(match[1]);
  return match[2] === 'ms' ? value : match[2] === 's' ? value * 1000 : value * 60_000;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run a WASI program (or --invoke an export) natively on Flint',
  usage: [
    'flint run [options] <file.wasm|file.wat|file.flint> [args…]',
    '',
    'options (before the file; everything after it goes to the program):',
    '  --dir host[::guest]   preopen a host directory, seen by the program as guest (repeatable)',
    '  --env NAME[=VALUE]    set an environment variable for the program; without a value, pass',
    '                        on the host’s (nothing when the host has none) (repeatable)',
    '  --invoke NAME         call export NAME with args parsed from its signature, print its results',
    `  --tier ${TIERS.join('|')}      the compiler tier (default ${DEFAULT_TIER})`,
    '  --lazy                compile each function on its first call',
    '  --stats               print compile statistics per tier to stderr when the program ends',
    '  --timeout DURATION    stop the program after DURATION of wall time (500ms, 1s, 2m); the',
    '                        stop is a trap (interrupted: deadline exceeded)',
    '  --fuel N              meter fuel (one unit per operator; the baseline tier compiles) and',
    '                        stop the program with a trap (fuel exhausted) once it spent N',
    '  --max-memory SIZE     cap each memory at SIZE (bytes, KiB, MiB, GiB or pages): a larger',
    '                        declared minimum fails to instantiate, memory.grow past it returns -1',
    '  --max-table-elements N  cap each table at N elements, as --max-memory does memories',
    '  --max-wasm-stack SIZE native stack for Wasm frames (default 4MiB); deeper recursion traps',
    '                        (call stack exhausted)',
    '  --max-module-size SIZE  refuse modules larger than SIZE (default 1GiB, as V8)',
    `  --perf-map            write ${perfMapPath().replace(String(process.pid), '<pid>')} naming the code for Linux perf`,
    '',
    'A WASI program’s exit code is flint’s; a trap exits with 134. A .flint code cache from',
    '`flint compile` runs without recompiling when this engine built it for this host and tier.',
  ].join('\n'),
  run(ctx, args) {
    const options = parseOptions(args, RUN_OPTIONS);
    const [file, ...programArgs] = options.rest;
    if (file === undefined) throw new UsageError('run needs a module file');
    const preopens = parsePreopens(options.repeated.get('dir') ?? []);
    const env = parseEnv(options.repeated.get('env') ?? []);
    const tier = choice(options, 'tier', TIERS, DEFAULT_TIER);
    const invoke = options.values.get('invoke');
    const perfMap = options.flags.has('perf-map');
    const timeout = options.values.get('timeout');
    const deadline = timeout === undefined ? null : parseDuration(timeout);
    const fuelText = options.values.get('fuel');
    const fuel = fuelText === undefined ? null : parseCount('fuel', fuelText);
    const limits = parseLimits(options.values);
    const needsEngine = options.flags.has('stats') || perfMap || deadline !== null || fuel !== null || Object.keys(limits).length > 0;
    const engine = needsEngine ? new Engine({ perfMap, fuel: fuel !== null }) : undefined;
    // The limits, deadline and fuel are the thread's: put back what was there when the run ends.
    const previousLimits = engine?.limits;
    try {
      if (engine !== undefined) engine.store.setLimits(limits);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (fuel !== null) engine!.setFuel(fuel);
    // The clock starts now: compiling counts against the budget too, as wall time does for the user.
    engine?.setDeadline(deadline);
    try {
      return runModule(ctx, file, programArgs, { preopens, env, tier, invoke, lazy: options.flags.has('lazy'), engine });
    } finally {
      if (options.flags.has('stats')) printCompileStatistics(ctx, engine!.compileStats());
      engine?.setDeadline(null);
      if (previousLimits !== undefined) engine!.store.setLimits(previousLimits);
    }
  },
};

interface RunSettings {
  readonly preopens: Record<string, string>;
  readonly env: Record<string, string>;
  readonly tier: string;
  readonly invoke: string | undefined;
  readonly lazy: boolean;
  readonly engine: Engine | undefined;
}

function runModule(ctx: CommandContext, file: string, programArgs: readonly string[], settings: RunSettings): number {
  try {
    return execute(ctx, file, programArgs, loadForRun(ctx, file, settings.tier, settings.lazy, settings.engine), settings);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return reportRunError(ctx, file, error);
  }
}

/** What a program runs with, besides its module. */
export interface ExecuteSettings {
  readonly preopens: Record<string, string>;
  readonly env: Record<string, string>;
  readonly invoke: string | undefined;
}

/** Links `loaded` with WASI and runs it: `_start`, or the export `settings.invoke`. Errors are reported. */
export function execute(ctx: CommandContext, file: string, programArgs: readonly string[], loaded: CompiledForRun, settings: ExecuteSettings): number {
  const { preopens, env, invoke } = settings;
  const { module, decoded } = loaded;
  try {
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
}

/** The `--max-*` options as the runtime's `ResourceLimits`. */
function parseLimits(values: ReadonlyMap<string, string>): ResourceLimits {
  const limits: { -readonly [K in keyof ResourceLimits]: ResourceLimits[K] } = {};
  const memory = values.get('max-memory');
  if (memory !== undefined) limits.maxMemoryBytes = parseByteSize('max-memory', memory);
  const table = values.get('max-table-elements');
  if (table !== undefined) limits.maxTableElements = parseCount('max-table-elements', table);
  const moduleSize = values.get('max-module-size');
  if (moduleSize !== undefined) limits.maxModuleBytes = parseByteSize('max-module-size', moduleSize);
  const stack = values.get('max-wasm-stack');
  if (stack !== undefined) limits.wasmStackBytes = parseByteSize('max-wasm-stack', stack);
  return limits;
}

/** `--dir host[::guest]` → guest path → host directory (the guest path defaults to the host one). */
export function parsePreopens(dirs: readonly string[]): Record<string, string> {
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

/**
 * `--env NAME=VALUE`, or `--env NAME` for the host's value of NAME (left unset when the host has
 * none, as wasmtime does). `hostEnv` is a parameter so tests need not touch `process.env`.
 */
export function parseEnv(pairs: readonly string[], hostEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals === 0 || pair === '') throw new UsageError(`--env ${pair}: expected NAME=VALUE or NAME`);
    if (equals > 0) {
      env[pair.slice(0, equals)] = pair.slice(equals + 1);
      continue;
    }
    const inherited = hostEnv[pair];
    if (inherited !== undefined) env[pair] = inherited;
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
