// Instructions → binary code, in one pass over the tokens: plain and folded forms, structured
// control with labels, and every immediate kind of the opcode table. Folded operands are
// emitted before their operator, so an operator's own bytes go to a scratch writer (one per
// nesting depth, reused) and are appended after its operands.
// Spec: https://webassembly.github.io/spec/core/text/instructions.html
import { Imm, isNullable } from '@flint/decoder';
import type { OperatorInfo } from '@flint/decoder';
import { ByteWriter } from '../encode/buffer.ts';
import { Tok } from '../lexer.ts';
import { IndexSpace } from './context.ts';
import { floatLiteral, i32Literal, integerLiteral, laneIndex, writeMemArg, writeV128Literal } from './literals.ts';
import type { ModuleContext } from './context.ts';
import type { Cursor } from './cursor.ts';
import { operatorsNamed, writeOpcode } from './operators.ts';
import { parseNullableHeapType, parseRefType, parseResults, parseTypeUse, writeRefHeapType, writeValType } from './types.ts';

const OP_BLOCK = 0x02;
const OP_LOOP = 0x03;
const OP_IF = 0x04;
const OP_ELSE = 0x05;
const OP_TRY = 0x06;
const OP_CATCH = 0x07;
const OP_END = 0x0b;
const OP_DELEGATE = 0x18;
const OP_CATCH_ALL = 0x19;
const OP_SELECT = 0x1b;
const OP_SELECT_T = 0x1c;
const OP_TRY_TABLE = 0x1f;

/** Keywords that may follow `(` in a function but never start a folded instruction. */
const NOT_OPERATORS: ReadonlySet<string> = new Set(['end', 'else', 'catch', 'catch_all', 'delegate', 'then', 'do', 'type', 'param', 'result', 'local', 'export', 'import']);

/**
 * Deepest nesting of blocks and folded instructions accepted. The encoder recurses once per
 * level, so hostile input must not be able to exhaust the host stack.
 */
export const MAX_NESTING = 1000;

export class InstructionEncoder {
  private readonly cur: Cursor;
  private readonly ctx: ModuleContext;
  private readonly scratch: ByteWriter[] = [];
  private depth = 0;
  private nesting = 0;
  /** The label stack, innermost last; null for unnamed blocks. */
  private readonly labels: (string | null)[] = [];
  private locals: Map<string, number> | null = null;
  private readonly brTargets: number[] = [];

  /** Whether scratch writers keep source marks (see `ByteWriter.marks`). */
  private readonly keepMarks: boolean;

  constructor(cur: Cursor, ctx: ModuleContext, keepMarks = false) {
    this.cur = cur;
    this.ctx = ctx;
    this.keepMarks = keepMarks;
  }

  /** Source offset of token `at`: where the bytes written next come from. */
  private source(at = this.cur.pos): number {
    return this.cur.tokens.start[at]!;
  }

  /** Starts a function body (or a constant expression, with no locals). */
  begin(locals: Map<string, number> | null): void {
    this.locals = locals;
    this.labels.length = 0;
    this.depth = 0;
    this.nesting = 0;
  }

  /** Encodes instructions up to the closing `)` of the enclosing form (not consumed), then `end`. */
  expression(out: ByteWriter): void {
    this.instructions(out);
    if (!this.cur.atClose()) this.cur.unexpected();
    out.mark(this.source());
    out.byte(OP_END);
  }

  /** Encodes exactly one folded instruction, then `end` (the abbreviated offset and item forms). */
  foldedExpression(out: ByteWriter): void {
    this.folded(out);
    out.byte(OP_END);
  }

  /** Encodes instructions until `)` or a keyword that ends a block (`end`, `else`, `catch`, …). */
  private instructions(out: ByteWriter): void {
    const cur: Cursor = this.cur;
    for (;;) {
      const k = cur.kind();
      if (k === Tok.LParen) {
        this.folded(out);
      } else if (k === Tok.Keyword) {
        if (cur.isKeyword('end') || cur.isKeyword('else') || cur.isKeyword('catch') || cur.isKeyword('catch_all') || cur.isKeyword('delegate')) return;
        this.plain(out);
      } else if (k === Tok.RParen) {
        return;
      } else {
        cur.unexpected();
      }
    }
  }

  private plain(out: ByteWriter): void {
    const cur: Cursor = this.cur;
    const name = cur.text();
    out.mark(this.source());
    switch (name) {
      case 'block':
      case 'loop':
      case 'if':
      case 'try_table':
      case 'try':
        this.plainBlock(out, name);
        return;
    }
    const ops = operatorsNamed(name);
    if (ops === undefined) cur.error(`unknown operator ${name}`);
    cur.pos++;
    this.operator(out, ops);
  }

  private enter(): void {
    if (++this.nesting > MAX_NESTING) this.cur.error(`nesting deeper than ${MAX_NESTING} levels`);
  }

  private plainBlock(out: ByteWriter, name: string): void {
    this.enter();
    this.plainBlockBody(out, name);
    this.nesting--;
  }

  private plainBlockBody(out: ByteWriter, name: string): void {
    const cur: Cursor = this.cur;
    cur.pos++;
    const label = cur.maybeId();
    const opcode = name === 'block' ? OP_BLOCK : name === 'loop' ? OP_LOOP : name === 'if' ? OP_IF : name === 'try' ? OP_TRY : OP_TRY_TABLE;
    out.byte(opcode);
    this.blockType(out);
    if (opcode === OP_TRY_TABLE) this.catchClauses(out);
    this.labels.push(label);
    this.instructions(out);
    if (opcode === OP_IF && cur.isKeyword('else')) {
      out.mark(this.source());
      cur.pos++;
      this.checkEndLabel(label);
      out.byte(OP_ELSE);
      this.instructions(out);
    }
    if (opcode === OP_TRY) {
      while (cur.isKeyword('catch')) {
        cur.pos++;
        out.byte(OP_CATCH);
        out.u32(this.ctx.tags.resolve(cur));
        this.instructions(out);
      }
      if (cur.isKeyword('catch_all')) {
        cur.pos++;
        out.byte(OP_CATCH_ALL);
        this.instructions(out);
      }
      if (cur.isKeyword('delegate')) {
        cur.pos++;
        this.labels.pop();
        out.byte(OP_DELEGATE);
        out.u32(this.label());
        return;
      }
    }
    out.mark(this.source());
    cur.expectKeyword('end');
    this.checkEndLabel(label);
    this.labels.pop();
    out.byte(OP_END);
  }

  private checkEndLabel(label: string | null): void {
    const cur: Cursor = this.cur;
    if (cur.kind() !== Tok.Id) return;
    if (cur.idName() !== label) cur.error('mismatching label');
    cur.pos++;
  }

  private folded(out: ByteWriter): void {
    this.enter();
    this.foldedBody(out);
    this.nesting--;
  }

  private foldedBody(out: ByteWriter): void {
    const cur: Cursor = this.cur;
    cur.pos++;
    if (cur.kind() !== Tok.Keyword) cur.unexpected();
    const name = cur.text();
    switch (name) {
      case 'block':
      case 'loop':
      case 'try_table': {
        out.mark(this.source());
        cur.pos++;
        const label = cur.maybeId();
        out.byte(name === 'block' ? OP_BLOCK : name === 'loop' ? OP_LOOP : OP_TRY_TABLE);
        this.blockType(out);
        if (name === 'try_table') this.catchClauses(out);
        this.labels.push(label);
        this.instructions(out);
        out.mark(this.source());
        cur.expectClose();
        this.labels.pop();
        out.byte(OP_END);
        return;
      }
      case 'if':
        this.foldedIf(out);
        return;
      case 'try':
        this.foldedTry(out);
        return;
    }
    if (NOT_OPERATORS.has(name)) cur.unexpected();
    const ops = operatorsNamed(name);
    if (ops === undefined) cur.error(`unknown operator ${name}`);
    const own = this.scratchWriter();
    own.mark(this.source());
    cur.pos++;
    this.operator(own, ops);
    while (cur.kind() === Tok.LParen) this.folded(out);
    cur.expectClose();
    out.append(own);
    this.depth--;
  }

  private scratchWriter(): ByteWriter {
    let w = this.scratch[this.depth];
    if (w === undefined) {
      w = new ByteWriter(32, this.keepMarks);
      this.scratch.push(w);
    }
    this.depth++;
    w.reset();
    return w;
  }

  private foldedIf(out: ByteWriter): void {
    const cur: Cursor = this.cur;
    const head = this.scratchWriter();
    head.mark(this.source());
    cur.pos++;
    const label = cur.maybeId();
    head.byte(OP_IF);
    this.blockType(head);
    while (cur.kind() === Tok.LParen && !cur.isOpen('then')) this.folded(out);
    out.append(head);
    this.depth--;
    if (!cur.eatOpen('then')) cur.unexpected();
    this.labels.push(label);
    this.instructions(out);
    cur.expectClose();
    if (cur.isOpen('else')) {
      out.mark(this.source(cur.pos + 1));
      cur.pos += 2;
      out.byte(OP_ELSE);
      this.instructions(out);
      cur.expectClose();
    }
    out.mark(this.source());
    cur.expectClose();
    this.labels.pop();
    out.byte(OP_END);
  }

  private foldedTry(out: ByteWriter): void {
    const cur: Cursor = this.cur;
    cur.pos++;
    const label = cur.maybeId();
    out.byte(OP_TRY);
    this.blockType(out);
    this.labels.push(label);
    if (!cur.eatOpen('do')) cur.unexpected();
    this.instructions(out);
    cur.expectClose();
    if (cur.eatOpen('delegate')) {
      this.labels.pop();
      out.byte(OP_DELEGATE);
      out.u32(this.label());
      cur.expectClose();
      cur.expectClose();
      return;
    }
    while (cur.eatOpen('catch')) {
      out.byte(OP_CATCH);
      out.u32(this.ctx.tags.resolve(cur));
      this.instructions(out);
      cur.expectClose();
    }
    if (cur.eatOpen('catch_all')) {
      out.byte(OP_CATCH_ALL);
      this.instructions(out);
      cur.expectClose();
    }
    cur.expectClose();
    this.labels.pop();
    out.byte(OP_END);
  }

  /** `(type x)? (param …)* (result …)*` of a block: empty, one value type, or a type index. */
  private blockType(out: ByteWriter): void {
    const cur: Cursor = this.cur;
    if (cur.isOpen('type') || cur.isOpen('param')) {
      out.s32(parseTypeUse(cur, this.ctx, false).typeIndex);
      return;
    }
    if (!cur.isOpen('result')) {
      out.byte(0x40);
      return;
    }
    const results: number[] = [];
    parseResults(cur, this.ctx, results);
    if (results.length === 1) writeValType(out, results[0]!);
    else out.s32(this.ctx.funcTypeIndex([], results));
  }

  private catchClauses(out: ByteWriter): void {
    const cur: Cursor = this.cur;
    const countAt = out.length;
    let count = 0;
    out.byte(0); // patched below: catch clause vectors are short, so one LEB byte is kept free
    for (;;) {
      if (cur.eatOpen('catch')) {
        out.byte(0x00);
        out.u32(this.ctx.tags.resolve(cur));
      } else if (cur.eatOpen('catch_ref')) {
        out.byte(0x01);
        out.u32(this.ctx.tags.resolve(cur));
      } else if (cur.eatOpen('catch_all')) {
        out.byte(0x02);
      } else if (cur.eatOpen('catch_all_ref')) {
        out.byte(0x03);
      } else {
        break;
      }
      out.u32(this.label());
      cur.expectClose();
      count++;
    }
    if (count >= 0x80) cur.error('too many catch clauses');
    out.bytes[countAt] = count;
  }

  /** A label reference: `$name` (innermost match) or a relative depth. */
  private label(): number {
    const cur: Cursor = this.cur;
    if (cur.kind() === Tok.Id) {
      const name = cur.idName();
      for (let i = this.labels.length - 1; i >= 0; i--) {
        if (this.labels[i] === name) {
          cur.pos++;
          return this.labels.length - 1 - i;
        }
      }
      cur.error(`unknown label $${name}`);
    }
    if (cur.kind() !== Tok.Number) cur.unexpected();
    return cur.u32();
  }

  private local(): number {
    const cur: Cursor = this.cur;
    if (cur.kind() === Tok.Id) {
      const index = this.locals?.get(cur.idName());
      if (index === undefined) cur.error(`unknown local $${cur.idName()}`);
      cur.pos++;
      return index;
    }
    if (cur.kind() !== Tok.Number) cur.unexpected();
    return cur.u32();
  }

  /** An operator and its immediates (the mnemonic is consumed). */
  private operator(w: ByteWriter, ops: readonly OperatorInfo[]): void {
    const cur: Cursor = this.cur;
    const ctx = this.ctx;
    const op = ops[0]!;
    switch (op.immediate) {
      case Imm.None:
        if (op.code === OP_SELECT && op.prefix === 0) {
          this.select(w);
          return;
        }
        writeOpcode(w, op);
        return;
      case Imm.Label:
        writeOpcode(w, op);
        w.u32(this.label());
        return;
      case Imm.BrTable: {
        writeOpcode(w, op);
        const targets = this.brTargets;
        targets.length = 0;
        while (cur.kind() === Tok.Id || cur.kind() === Tok.Number) targets.push(this.label());
        if (targets.length === 0) cur.unexpected();
        w.u32(targets.length - 1);
        for (const t of targets) w.u32(t);
        return;
      }
      case Imm.Func:
        writeOpcode(w, op);
        w.u32(ctx.funcs.resolve(cur));
        return;
      case Imm.CallIndirect: {
        writeOpcode(w, op);
        const table = IndexSpace.atIndex(cur) ? ctx.tables.resolve(cur) : 0;
        w.u32(parseTypeUse(cur, ctx, false).typeIndex);
        w.u32(table);
        return;
      }
      case Imm.Type:
        writeOpcode(w, op);
        w.u32(ctx.types.resolve(cur));
        return;
      case Imm.Local:
        writeOpcode(w, op);
        w.u32(this.local());
        return;
      case Imm.Global:
        writeOpcode(w, op);
        w.u32(ctx.globals.resolve(cur));
        return;
      case Imm.Table:
        writeOpcode(w, op);
        w.u32(IndexSpace.atIndex(cur) ? ctx.tables.resolve(cur) : 0);
        return;
      case Imm.Memory:
        writeOpcode(w, op);
        w.u32(IndexSpace.atIndex(cur) ? ctx.memories.resolve(cur) : 0);
        return;
      case Imm.MemArg:
        writeOpcode(w, op);
        writeMemArg(cur, w, op, IndexSpace.atIndex(cur) ? ctx.memories.resolve(cur) : 0);
        return;
      case Imm.MemArgLane: {
        writeOpcode(w, op);
        // `op mem? memarg lane`: a leading index is the memory only when a lane index follows it.
        let memory = 0;
        if (IndexSpace.atIndex(cur)) {
          let next = cur.pos + 1;
          while (cur.kind(next) === Tok.Keyword && (cur.text(next).startsWith('offset=') || cur.text(next).startsWith('align='))) next++;
          if (cur.kind() === Tok.Id || cur.kind(next) === Tok.Number) memory = ctx.memories.resolve(cur);
        }
        writeMemArg(cur, w, op, memory);
        w.byte(laneIndex(cur));
        return;
      }
      case Imm.I32:
        writeOpcode(w, op);
        w.s32(i32Literal(cur));
        return;
      case Imm.I64:
        writeOpcode(w, op);
        w.s64(integerLiteral(cur, 64));
        return;
      case Imm.F32:
        writeOpcode(w, op);
        w.u32le(Number(floatLiteral(cur, 32)));
        return;
      case Imm.F64:
        writeOpcode(w, op);
        w.fixed(floatLiteral(cur, 64), 8);
        return;
      case Imm.V128:
        writeOpcode(w, op);
        writeV128Literal(cur, w);
        return;
      case Imm.Shuffle: {
        writeOpcode(w, op);
        const at = cur.pos;
        let count = 0;
        while (cur.kind() === Tok.Number) {
          if (count === 16) cur.error('invalid lane length');
          w.byte(laneIndex(cur));
          count++;
        }
        if (count !== 16) cur.error('invalid lane length', at);
        return;
      }
      case Imm.Lane:
        writeOpcode(w, op);
        w.byte(laneIndex(cur));
        return;
      case Imm.SelectT:
        this.select(w);
        return;
      case Imm.HeapType:
        if (op.prefix === 0) {
          writeOpcode(w, op); // ref.null
          writeRefHeapType(w, parseNullableHeapType(cur, ctx));
        } else {
          // ref.test / ref.cast / ref.cast_desc_eq: the nullable form is the next opcode.
          const t = parseRefType(cur, ctx);
          writeOpcode(w, isNullable(t) ? ops[1] ?? op : op);
          writeRefHeapType(w, t);
        }
        return;
      case Imm.Tag:
      case Imm.Catch:
        writeOpcode(w, op);
        w.u32(ctx.tags.resolve(cur));
        return;
      case Imm.MemoryInit: {
        writeOpcode(w, op);
        let memory = 0;
        if (IndexSpace.atIndex(cur) && (cur.kind(cur.pos + 1) === Tok.Id || cur.kind(cur.pos + 1) === Tok.Number)) memory = ctx.memories.resolve(cur);
        w.u32(ctx.datas.resolve(cur));
        w.u32(memory);
        return;
      }
      case Imm.Data:
        writeOpcode(w, op);
        w.u32(ctx.datas.resolve(cur));
        return;
      case Imm.MemoryCopy:
        writeOpcode(w, op);
        if (IndexSpace.atIndex(cur)) {
          w.u32(ctx.memories.resolve(cur));
          w.u32(ctx.memories.resolve(cur));
        } else {
          w.byte(0);
          w.byte(0);
        }
        return;
      case Imm.TableInit: {
        writeOpcode(w, op);
        let table = 0;
        if (IndexSpace.atIndex(cur) && (cur.kind(cur.pos + 1) === Tok.Id || cur.kind(cur.pos + 1) === Tok.Number)) table = ctx.tables.resolve(cur);
        w.u32(ctx.elems.resolve(cur));
        w.u32(table);
        return;
      }
      case Imm.Elem:
        writeOpcode(w, op);
        w.u32(ctx.elems.resolve(cur));
        return;
      case Imm.TableCopy:
        writeOpcode(w, op);
        if (IndexSpace.atIndex(cur)) {
          w.u32(ctx.tables.resolve(cur));
          w.u32(ctx.tables.resolve(cur));
        } else {
          w.byte(0);
          w.byte(0);
        }
        return;
      case Imm.TypeField: {
        writeOpcode(w, op);
        const type = ctx.types.resolve(cur);
        w.u32(type);
        if (cur.kind() === Tok.Id) {
          const field = ctx.typeDefs[type]?.fieldNames?.get(cur.idName());
          if (field === undefined) cur.error(`unknown field $${cur.idName()}`);
          cur.pos++;
          w.u32(field);
        } else {
          w.u32(cur.u32());
        }
        return;
      }
      case Imm.TypeType:
        writeOpcode(w, op);
        w.u32(ctx.types.resolve(cur));
        w.u32(ctx.types.resolve(cur));
        return;
      case Imm.TypeData:
        writeOpcode(w, op);
        w.u32(ctx.types.resolve(cur));
        w.u32(ctx.datas.resolve(cur));
        return;
      case Imm.TypeElem:
        writeOpcode(w, op);
        w.u32(ctx.types.resolve(cur));
        w.u32(ctx.elems.resolve(cur));
        return;
      case Imm.TypeCount:
        writeOpcode(w, op);
        w.u32(ctx.types.resolve(cur));
        w.u32(cur.u32());
        return;
      case Imm.BrOnCast: {
        writeOpcode(w, op);
        const label = this.label();
        const from = parseRefType(cur, ctx);
        const to = parseRefType(cur, ctx);
        w.byte((isNullable(from) ? 1 : 0) | (isNullable(to) ? 2 : 0));
        w.u32(label);
        writeRefHeapType(w, from);
        writeRefHeapType(w, to);
        return;
      }
      case Imm.AtomicFence:
        writeOpcode(w, op);
        w.byte(0);
        return;
      default:
        // Block-structured operators are handled before dispatch; reaching here means a
        // block keyword appeared where only its structured form is allowed.
        cur.error(`unexpected token`, cur.pos - 1);
    }
  }

  private select(w: ByteWriter): void {
    const cur: Cursor = this.cur;
    if (!cur.isOpen('result')) {
      w.byte(OP_SELECT);
      return;
    }
    const types: number[] = [];
    parseResults(cur, this.ctx, types);
    w.byte(OP_SELECT_T);
    w.u32(types.length);
    for (const t of types) writeValType(w, t);
  }
}
