// Command-line options shared by the commands: `--name value`, `--name=value`, repeatable
// options and boolean flags, all before the first positional argument; everything from the
// first positional on (or after `--`) is returned untouched, because for `flint run` it
// belongs to the guest program.
import { UsageError } from './command.ts';

export type OptionKind = 'flag' | 'value' | 'repeat';

export type OptionSpec = Readonly<Record<string, OptionKind>>;

export interface ParsedOptions {
  readonly flags: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
  readonly repeated: ReadonlyMap<string, readonly string[]>;
  /** The first positional argument and everything after it. */
  readonly rest: readonly string[];
}

/**
 * Parses leading options. `interleaved` lets options follow positionals too (commands whose
 * positionals are all files, unlike `run`, whose trailing arguments go to the guest).
 */
export function parseOptions(args: readonly string[], spec: OptionSpec, interleaved = false): ParsedOptions {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const repeated = new Map<string, string[]>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      rest.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (!interleaved) {
        rest.push(...args.slice(i));
        break;
      }
      rest.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals < 0 ? arg.slice(2) : arg.slice(2, equals);
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`unknown option --${name}`);
    if (kind === 'flag') {
      if (equals >= 0) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    let value: string;
    if (equals >= 0) value = arg.slice(equals + 1);
    else {
      if (i + 1 >= args.length) throw new UsageError(`--${name} needs a value`);
      value = args[++i]!;
    }
    if (kind === 'value') {
      if (values.has(name)) throw new UsageError(`--${name} given twice`);
      values.set(name, value);
    } else {
      const list = repeated.get(name) ?? [];
      list.push(value);
      repeated.set(name, list);
    }
  }
  return { flags, values, repeated, rest };
}

/** A value restricted to `choices`, or the default. */
export function choice<T extends string>(options: ParsedOptions, name: string, choices: readonly T[], fallback: T): T {
  const value = options.values.get(name);
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got '${value}')`);
  }
  return value as T;
}
