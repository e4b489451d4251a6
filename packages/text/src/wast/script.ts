// The script format (`.wast`): a sequence of commands — modules, registrations, actions and
// assertions — each tagged with its line. A text module that fails to parse is recorded on its
// command (so one bad module does not hide the rest of the script); quoted modules are left
// unparsed for the consumer, since `assert_malformed` expects them to fail.
// Spec: https://github.com/WebAssembly/spec/tree/main/interpreter#scripts
import { WatSyntaxError } from '../errors.ts';
import { Tok, tokenize } from '../lexer.ts';
import { Cursor } from '../wat/cursor.ts';
import { encodeModuleFields } from '../wat/module.ts';
import { parseModuleForm } from '../wat/parse.ts';
import type { WastAction, WastCommand, WastConst, WastExpected, WastModule, WastScript } from './types.ts';
import { parseWastConst, parseWastValue } from './values.ts';

// ignoreBOM: a leading U+FEFF is part of a name, not a byte-order mark.
const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const MODULE_FIELDS: ReadonlySet<string> = new Set(['type', 'rec', 'import', 'func', 'table', 'memory', 'global', 'tag', 'export', 'start', 'elem', 'data']);

class ScriptParser {
  private readonly cur: Cursor;
  private lineOffset = 0;
  private line = 1;
  private threadDepth = 0;
  private readonly names: boolean;

  constructor(cur: Cursor, names: boolean) {
    this.cur = cur;
    this.names = names;
  }

  /** Line of the token at `at`; commands come in order, so lines are counted incrementally. */
  private lineAt(at: number): number {
    const offset = this.cur.tokens.start[at]!;
    const source = this.cur.source;
    for (let i = this.lineOffset; i < offset; i++) if (source.charCodeAt(i) === 0x0a) this.line++;
    this.lineOffset = Math.max(this.lineOffset, offset);
    return this.line;
  }

  commands(endKind: Tok): WastCommand[] {
    const cur: Cursor = this.cur;
    const out: WastCommand[] = [];
    while (cur.kind() !== endKind) out.push(this.command());
    return out;
  }

  private command(): WastCommand {
    const cur: Cursor = this.cur;
    if (cur.kind() !== Tok.LParen) cur.unexpected();
    const line = this.lineAt(cur.pos);
    const head = cur.kind(cur.pos + 1) === Tok.Keyword ? cur.text(cur.pos + 1) : '';
    switch (head) {
      case 'module': {
        if (cur.isKeyword('instance', cur.pos + 2)) {
          cur.pos += 3;
          const instance = cur.maybeId();
          const module = cur.maybeId();
          cur.expectClose();
          return { type: 'module_instance', instance, module, line };
        }
        return { type: 'module', ...this.module(line) };
      }
      case 'register': {
        cur.pos += 2;
        const name = this.string();
        const module = cur.maybeId();
        cur.expectClose();
        return { type: 'register', name, module, line };
      }
      case 'invoke':
      case 'get':
        return { type: 'action', action: this.action(), line };
      case 'assert_return': {
        cur.pos += 2;
        const action = this.action();
        const expected: WastExpected[] = [];
        while (cur.kind() === Tok.LParen) expected.push(parseWastValue(cur, true));
        cur.expectClose();
        return { type: 'assert_return', action, expected, line };
      }
      case 'assert_trap': {
        cur.pos += 2;
        if (cur.isOpen('module')) {
          const module = this.module(this.lineAt(cur.pos));
          const text = this.string();
          cur.expectClose();
          return { type: 'assert_trap_module', module, text, line };
        }
        const action = this.action();
        const text = this.string();
        cur.expectClose();
        return { type: 'assert_trap', action, text, line };
      }
      case 'assert_exhaustion': {
        cur.pos += 2;
        const action = this.action();
        const text = this.string();
        cur.expectClose();
        return { type: 'assert_exhaustion', action, text, line };
      }
      case 'assert_exception': {
        cur.pos += 2;
        const action = this.action();
        cur.expectClose();
        return { type: 'assert_exception', action, line };
      }
      case 'assert_invalid':
      case 'assert_malformed':
      case 'assert_unlinkable':
      case 'assert_uninstantiable':
      case 'assert_invalid_custom':
      case 'assert_malformed_custom': {
        cur.pos += 2;
        if (!cur.isOpen('module')) cur.unexpected();
        const module = this.module(this.lineAt(cur.pos));
        const text = this.string();
        cur.expectClose();
        return { type: head, module, text, line };
      }
      case 'thread': {
        cur.pos += 2;
        const id = cur.maybeId();
        if (id === null) cur.unexpected();
        const shared: string[] = [];
        while (cur.eatOpen('shared')) {
          while (cur.eatOpen('module')) {
            const name = cur.maybeId();
            if (name === null) cur.unexpected();
            shared.push(name);
            cur.expectClose();
          }
          cur.expectClose();
        }
        if (++this.threadDepth > 100) cur.error('threads nested deeper than 100 levels');
        const commands = this.commands(Tok.RParen);
        this.threadDepth--;
        cur.expectClose();
        return { type: 'thread', id, shared, commands, line };
      }
      case 'wait': {
        cur.pos += 2;
        const id = cur.maybeId();
        if (id === null) cur.unexpected();
        cur.expectClose();
        return { type: 'wait', id, line };
      }
      default:
        return cur.error(`unknown command ${head || cur.text(cur.pos + 1)}`, cur.pos + 1);
    }
  }

  private string(): string {
    return textDecoder.decode(this.cur.bytes());
  }

  private module(line: number): WastModule {
    const cur: Cursor = this.cur;
    if (!cur.isOpen('module')) cur.unexpected();
    const close = cur.closeOf(cur.pos);
    const start = cur.pos;
    try {
      const form = parseModuleForm(cur, { filename: cur.filename, names: this.names }, true);
      const base = { kind: form.kind, line, ...(form.id !== null ? { id: form.id } : {}), ...(form.definition ? { definition: true } : {}) };
      if (form.kind === 'quote') return { ...base, source: form.source };
      return { ...base, bytes: form.bytes };
    } catch (e) {
      if (!(e instanceof WatSyntaxError)) throw e;
      // Record the failure on the module and resume after it.
      cur.pos = start + 2;
      cur.eatKeyword('definition');
      const id = cur.maybeId();
      cur.pos = close + 1;
      return { kind: 'text', line, error: e, ...(id !== null ? { id } : {}) };
    }
  }

  bareModule(): WastModule {
    const cur: Cursor = this.cur;
    try {
      return { kind: 'text', line: 1, bytes: encodeModuleFields(cur, cur.tokens.count - 1, { names: this.names }) };
    } catch (e) {
      if (!(e instanceof WatSyntaxError)) throw e;
      return { kind: 'text', line: 1, error: e };
    }
  }

  private action(): WastAction {
    const cur: Cursor = this.cur;
    const line = this.lineAt(cur.pos);
    if (cur.eatOpen('invoke')) {
      const module = cur.maybeId();
      const name = this.string();
      const args: WastConst[] = [];
      while (cur.kind() === Tok.LParen) args.push(parseWastConst(cur));
      cur.expectClose();
      return { type: 'invoke', module, name, args, line };
    }
    if (cur.eatOpen('get')) {
      const module = cur.maybeId();
      const name = this.string();
      cur.expectClose();
      return { type: 'get', module, name, line };
    }
    return cur.unexpected();
  }
}

export interface ParseWastOptions {
  /** Text modules get a `name` section for their `$identifiers`, as `ParseWatOptions.names`. */
  readonly names?: boolean;
}

/**
 * Parses a script. Throws `WatSyntaxError` only when the script itself is malformed; a text
 * module that cannot be encoded is reported on its command's `error`.
 */
export function parseWast(source: string, filename?: string, options?: ParseWastOptions): WastScript {
  const cur = new Cursor(tokenize(source, filename), 0, filename);
  const parser = new ScriptParser(cur, options?.names === true);
  // A script may also be one bare module: fields at top level, as in a .wat file.
  if (cur.kind() === Tok.LParen && MODULE_FIELDS.has(cur.kind(1) === Tok.Keyword ? cur.text(1) : '')) {
    return { filename, commands: [{ type: 'module', ...parser.bareModule() }] };
  }
  const commands = parser.commands(Tok.Eof);
  return { filename, commands };
}
