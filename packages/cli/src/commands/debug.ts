// `flint debug <file> [args…]`: runs a program under the runtime's debugger with a small command
// line on stdin — set breakpoints, run, and at each stop print locals, the operand stack and the
// backtrace, continue or step (over, into, out). The program's own stdin is empty: the debugger
// reads it. Commands are read synchronously, because the program stops synchronously inside Wasm.
import { readSync } from 'node:fs';
import { ExternKind, OperatorReader, type Immediates, type Module as DecodedModule, type OperatorInfo } from '@flint/decoder';
import { DEFAULT_TIER, Engine, type Breakpoint, type CompiledModule, type DebugFrame, type DebugValue, type Debugger, type PausedState, type ResumeAction } from '@flint/runtime';
import { type Command, type CommandContext, UsageError } from '../command.ts';
import { parseOptions } from '../options.ts';
import { loadForRun } from '../run/compile.ts';
import { reportRunError } from '../run/report.ts';
import { execute, parseEnv, parsePreopens } from './run.ts';

const HELP = [
  'commands:',
  '  break <function> [<offset>]  stop before an operator: the function’s first one, or the one at',
  '  break <offset>               module offset <offset> (0x hex or decimal); functions by name or #index',
  '  delete <id>                  remove breakpoint <id>',
  '  breakpoints                  list the breakpoints',
  '  run                          start the program (once)',
  '  continue | c                 go on to the next breakpoint',
  '  step | s                     go on to the next operator, into calls',
  '  next | n                     go on to the next operator of this function (over calls)',
  '  finish | out                 go on until this function returns',
  '  locals | l                   the locals of the current frame (or `locals <frame>`)',
  '  stack                        the operand stack of the stopped frame',
  '  backtrace | bt               the Wasm call stack',
  '  quit | q                     end the program and flint (exit code 130)',
].join('\n');

export const debugCommand: Command = {
  name: 'debug',
  summary: 'run a program under the debugger: breakpoints, stepping, locals, backtraces',
  usage: ['flint debug [--dir host[::guest]]… [--env NAME[=VALUE]]… [--invoke NAME] <file.wasm|file.wat> [args…]', '', 'Commands are read from stdin (the program gets an empty stdin):', HELP].join('\n'),
  run(ctx, args) {
    const options = parseOptions(args, { dir: 'repeat', env: 'repeat', invoke: 'value' });
    const [file, ...programArgs] = options.rest;
    if (file === undefined) throw new UsageError('debug needs a module file');
    const settings = { preopens: parsePreopens(options.repeated.get('dir') ?? []), env: parseEnv(options.repeated.get('env') ?? []), invoke: options.values.get('invoke') };
    const engine = new Engine();
    let loaded;
    try {
      loaded = loadForRun(ctx, file, DEFAULT_TIER, false, engine);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      return reportRunError(ctx, file, error);
    }
    const session = new DebugSession(ctx, new CommandInput(ctx.guestStdio.stdin), loaded.compiled, loaded.decoded, engine.debugger());
    engine.debugger({ onPause: (state) => session.paused(state) });
    if (!session.beforeRun()) return EXIT_QUIT;
    const guestCtx: CommandContext = { ...ctx, guestStdio: { ...ctx.guestStdio, stdin: new Uint8Array(0) } };
    let code: number;
    try {
      code = execute(guestCtx, file, programArgs, loaded, settings);
    } finally {
      for (const breakpoint of engine.debugger().breakpoints()) engine.debugger().clearBreakpoint(breakpoint);
    }
    ctx.out(`program exited with code ${code}`);
    return code;
  },
};

/** 128 + SIGINT, as a shell reports an interrupted program. */
const EXIT_QUIT = 130;

/** Lines from a file descriptor (read synchronously) or from bytes. */
export class CommandInput {
  readonly #fd: number | null;
  #pending = '';
  #done = false;

  constructor(source: number | Uint8Array) {
    if (typeof source === 'number') this.#fd = source;
    else {
      this.#fd = null;
      this.#pending = new TextDecoder().decode(source);
      this.#done = true;
    }
  }

  /** The next line without its newline, or null at the end of the input. */
  readLine(): string | null {
    for (;;) {
      const newline = this.#pending.indexOf('\n');
      if (newline >= 0) {
        const line = this.#pending.slice(0, newline);
        this.#pending = this.#pending.slice(newline + 1);
        return line.replace(/\r$/, '');
      }
      if (this.#done) {
        if (this.#pending === '') return null;
        const line = this.#pending;
        this.#pending = '';
        return line;
      }
      this.#fill();
    }
  }

  #fill(): void {
    const buffer = Buffer.alloc(4096);
    for (;;) {
      try {
        const n = readSync(this.#fd!, buffer, 0, buffer.length, null);
        if (n === 0) this.#done = true;
        else this.#pending += buffer.toString('utf8', 0, n);
        return;
      } catch (error) {
        // A non-blocking stdin (a terminal Node has touched) has nothing yet: wait a little.
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      }
    }
  }
}

/** The command loop: before the run, and at each stop. */
class DebugSession {
  readonly #ctx: CommandContext;
  readonly #input: CommandInput;
  readonly #module: CompiledModule;
  readonly #decoded: DecodedModule;
  readonly #debugger: Debugger;
  #state: PausedState | null = null;
  /** This session's breakpoints by their number here (the runtime's ids are per thread). */
  readonly #breakpoints = new Map<number, Breakpoint>();
  #nextId = 1;

  constructor(ctx: CommandContext, input: CommandInput, module: CompiledModule, decoded: DecodedModule, debuggerOf: Debugger) {
    this.#ctx = ctx;
    this.#input = input;
    this.#module = module;
    this.#decoded = decoded;
    this.#debugger = debuggerOf;
  }

  /** Commands until `run`; false when the user quit (or the input ended) first. */
  beforeRun(): boolean {
    for (;;) {
      const words = this.#prompt();
      if (words === null) return false;
      const [command] = words;
      if (command === 'run' || command === 'r') return true;
      if (command === 'quit' || command === 'q') return false;
      if (['continue', 'c', 'step', 's', 'next', 'n', 'finish', 'out', 'locals', 'l', 'stack', 'backtrace', 'bt'].includes(command!)) {
        this.#ctx.out('the program is not running: `run` starts it');
        continue;
      }
      this.#common(words);
    }
  }

  /** The pause callback: shows where the program stopped and reads commands until one resumes it. */
  paused(state: PausedState): ResumeAction {
    this.#state = state;
    const top = state.frames[0]!;
    const why = state.reason === 'breakpoint' ? `breakpoint ${state.breakpoints.map((b) => this.#idOf(b)).join(', ')}` : 'step';
    this.#ctx.out(`stopped (${why}) at ${this.#where(top)}: ${this.#operatorAt(top.funcIndex, top.offset)}`);
    try {
      for (;;) {
        const words = this.#prompt();
        // The input ended: let the program run to its end.
        if (words === null) return 'continue';
        const [command, argument] = words;
        switch (command) {
          case 'continue':
          case 'c':
            return 'continue';
          case 'step':
          case 's':
            return 'stepInto';
          case 'next':
          case 'n':
            return 'stepOver';
          case 'finish':
          case 'out':
            return 'stepOut';
          case 'run':
          case 'r':
            this.#ctx.out('the program is already running');
            break;
          case 'quit':
          case 'q':
            // The program is stopped inside Wasm and the runtime has no way to unwind it from the
            // debugger: end the process, as a debugger kills its inferior (stdout and stderr are
            // synchronous on Linux, so nothing printed is lost).
            process.exit(EXIT_QUIT);
          case 'locals':
          case 'l':
            this.#printLocals(argument === undefined ? 0 : Number(argument));
            break;
          case 'stack':
            this.#printStack();
            break;
          case 'backtrace':
          case 'bt':
            state.frames.forEach((frame, i) => this.#ctx.out(`#${i} ${this.#where(frame)}`));
            break;
          default:
            this.#common(words);
        }
      }
    } finally {
      this.#state = null;
    }
  }

  /** Reads the next non-empty command line, split into words; null at the end of the input. */
  #prompt(): string[] | null {
    for (;;) {
      this.#ctx.errWrite('(flint) ');
      const line = this.#input.readLine();
      if (line === null) return null;
      const words = line.trim().split(/\s+/).filter((w) => w !== '');
      if (words.length > 0) return words;
    }
  }

  /** Commands valid both before the run and at a stop. */
  #common(words: readonly string[]): void {
    const [command, ...rest] = words;
    try {
      switch (command) {
        case 'break':
        case 'b': {
          const breakpoint = this.#setBreakpoint(rest);
          const id = this.#nextId++;
          this.#breakpoints.set(id, breakpoint);
          this.#ctx.out(`breakpoint ${id} at ${this.#functionLabel(breakpoint.funcIndex)} 0x${breakpoint.offset.toString(16)}: ${this.#operatorAt(breakpoint.funcIndex, breakpoint.offset)}`);
          return;
        }
        case 'delete':
        case 'd': {
          const id = Number(rest[0]);
          const breakpoint = this.#breakpoints.get(id);
          if (breakpoint === undefined) throw new UsageError(`no breakpoint ${rest[0] ?? ''}`);
          this.#debugger.clearBreakpoint(breakpoint);
          this.#breakpoints.delete(id);
          this.#ctx.out(`deleted breakpoint ${id}`);
          return;
        }
        case 'breakpoints':
        case 'info': {
          if (this.#breakpoints.size === 0) this.#ctx.out('no breakpoints');
          for (const [id, b] of this.#breakpoints) this.#ctx.out(`${id}: ${this.#functionLabel(b.funcIndex)} 0x${b.offset.toString(16)}`);
          return;
        }
        case 'help':
        case 'h':
          this.#ctx.out(HELP);
          return;
        default:
          this.#ctx.out(`unknown command '${command}' (help lists them)`);
      }
    } catch (error) {
      if (!(error instanceof UsageError || error instanceof RangeError)) throw error;
      this.#ctx.out(`error: ${error.message}`);
    }
  }

  #idOf(breakpoint: Breakpoint): number {
    for (const [id, b] of this.#breakpoints) if (b === breakpoint) return id;
    return -1;
  }

  #setBreakpoint(args: readonly string[]): Breakpoint {
    if (args.length === 0) throw new UsageError('break needs a function or an offset');
    const [first, second] = args as [string, string | undefined];
    if (second === undefined && isOffset(first)) {
      const offset = parseOffset(first);
      const body = this.#decoded.codes.find((b) => offset >= b.code.offset && offset < b.code.offset + b.code.bytes.length);
      if (body === undefined) throw new UsageError(`offset ${first} is in no function body`);
      return this.#debugger.setBreakpoint(this.#module, body.funcIndex, offset);
    }
    const funcIndex = this.#resolveFunction(first);
    const offset = second === undefined ? this.#debugger.operatorOffsets(this.#module, funcIndex)[0]! : parseOffset(second);
    return this.#debugger.setBreakpoint(this.#module, funcIndex, offset);
  }

  /** A function by name-section name, export name, `#index` or index; it must be defined. */
  #resolveFunction(selector: string): number {
    const m = this.#decoded;
    let index: number | undefined;
    if (/^#?[0-9]+$/.test(selector)) index = Number(selector.replace('#', ''));
    else {
      for (const [i, name] of m.names?.functions ?? []) if (name === selector) index = i;
      index ??= m.exports.find((exp) => exp.kind === ExternKind.Func && exp.name === selector)?.index;
    }
    if (index === undefined) throw new UsageError(`no function named ${selector}`);
    if (index < m.numImportedFunctions || index >= m.functions.length) throw new UsageError(`function #${index} is not defined in the module`);
    return index;
  }

  #functionLabel(funcIndex: number): string {
    const name = this.#decoded.names?.functions.get(funcIndex);
    return name === undefined ? `wasm-function[${funcIndex}]` : `${name} (wasm-function[${funcIndex}])`;
  }

  #where(frame: DebugFrame): string {
    return `${this.#functionLabel(frame.funcIndex)} 0x${frame.offset.toString(16)}`;
  }

  /** The mnemonic of the operator at module offset `offset` of function `funcIndex`. */
  #operatorAt(funcIndex: number, offset: number): string {
    const body = this.#decoded.codes[funcIndex - this.#decoded.numImportedFunctions];
    if (body === undefined) return '?';
    let name = '?';
    new OperatorReader().read(
      body.code,
      0,
      {
        visit(op: OperatorInfo, _imm: Immediates, at: number): void {
          if (at === offset) name = op.name;
        },
      },
      true,
      `function #${funcIndex}`,
    );
    return name;
  }

  #printLocals(frameIndex: number): void {
    const frame = this.#state?.frames[frameIndex];
    if (frame === undefined) {
      this.#ctx.out(`no frame #${frameIndex}`);
      return;
    }
    if (frame.locals === null) {
      this.#ctx.out(`the locals of frame #${frameIndex} are not readable (its code keeps them in registers)`);
      return;
    }
    const names = this.#decoded.names?.locals.get(frame.funcIndex);
    frame.locals.forEach((value, i) => {
      const name = names?.get(i);
      this.#ctx.out(`  ${i}${name === undefined ? '' : ` ${name}`}: ${formatValue(value)}`);
    });
  }

  #printStack(): void {
    const stack = this.#state?.frames[0]?.stack ?? [];
    if (stack.length === 0) this.#ctx.out('  (empty)');
    stack.forEach((value, i) => this.#ctx.out(`  ${i}: ${formatValue(value)}`));
  }
}

function isOffset(text: string): boolean {
  return /^(0x[0-9a-f]+|[0-9]+)$/i.test(text);
}

function parseOffset(text: string): number {
  if (!isOffset(text)) throw new UsageError(`'${text}' is not an offset (0x hex or decimal)`);
  return Number(text);
}

function formatValue(value: DebugValue): string {
  if (value.type === 'ref') return value.value === 0n ? 'ref null' : `ref 0x${value.value.toString(16)}`;
  return `${value.type} ${String(value.value)}`;
}
