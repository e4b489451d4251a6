// A read position over the token table, with the small vocabulary every grammar rule uses:
// "is this `(keyword`", "expect `)`", "raise an error at this token". Token text is compared
// in place against the source, so matching a keyword allocates nothing.
import { syntaxError } from '../errors.ts';
import type { WatSyntaxError } from '../errors.ts';
import { LiteralError, parseU32 } from '../numbers.ts';
import { isValidUtf8 } from '@flint/decoder';
import { Tok, decodeStringBytes } from '../lexer.ts';
import type { TokenTable } from '../lexer.ts';

// ignoreBOM: a leading U+FEFF is part of a name, not a byte-order mark.
const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

export class Cursor {
  readonly tokens: TokenTable;
  readonly source: string;
  readonly filename: string | undefined;
  pos: number;

  constructor(tokens: TokenTable, pos = 0, filename?: string) {
    this.tokens = tokens;
    this.source = tokens.source;
    this.pos = pos;
    this.filename = filename;
  }

  kind(at = this.pos): Tok {
    return this.tokens.kind[at] as Tok;
  }

  text(at = this.pos): string {
    return this.source.slice(this.tokens.start[at], this.tokens.end[at]);
  }

  /** Whether the token at `at` is exactly the keyword `kw`. */
  isKeyword(kw: string, at = this.pos): boolean {
    const s = this.tokens.start[at]!;
    return this.tokens.kind[at] === Tok.Keyword && this.tokens.end[at]! - s === kw.length && this.source.startsWith(kw, s);
  }

  /** Whether the cursor is at `(kw`. */
  isOpen(kw: string): boolean {
    return this.tokens.kind[this.pos] === Tok.LParen && this.isKeyword(kw, this.pos + 1);
  }

  atClose(): boolean {
    return this.tokens.kind[this.pos] === Tok.RParen;
  }

  /** Index of the `)` closing the `(` at `at`. */
  closeOf(at = this.pos): number {
    const p = this.tokens.partner[at]!;
    if (p < 0) this.error('unexpected end of input', this.tokens.count - 1);
    return p;
  }

  error(reason: string, at = this.pos): never {
    throw this.errorAt(reason, at);
  }

  errorAt(reason: string, at = this.pos): WatSyntaxError {
    return syntaxError(this.source, this.tokens.start[Math.min(at, this.tokens.count - 1)]!, reason, this.filename);
  }

  unexpected(at = this.pos): never {
    const k = this.kind(at);
    if (k === Tok.Eof) this.error('unexpected end of input', at);
    // A reserved token is usually a malformed literal or mnemonic, e.g. `.5` or `i32.const0`.
    if (k === Tok.Reserved) this.error(`unknown operator ${this.text(at)}`, at);
    this.error('unexpected token', at);
  }

  expectOpen(): void {
    if (this.kind() !== Tok.LParen) this.unexpected();
    this.pos++;
  }

  expectClose(): void {
    if (this.kind() !== Tok.RParen) this.unexpected();
    this.pos++;
  }

  expectKeyword(kw: string): void {
    if (!this.isKeyword(kw)) this.unexpected();
    this.pos++;
  }

  /** Consumes `(kw` if present. */
  eatOpen(kw: string): boolean {
    if (!this.isOpen(kw)) return false;
    this.pos += 2;
    return true;
  }

  eatKeyword(kw: string): boolean {
    if (!this.isKeyword(kw)) return false;
    this.pos++;
    return true;
  }

  /** The name of the identifier token at `at` (without `$`, quotes decoded). */
  idName(at = this.pos): string {
    const s = this.tokens.start[at]!;
    const e = this.tokens.end[at]!;
    if (this.source.charCodeAt(s + 1) === 0x22) return textDecoder.decode(decodeStringBytes(this.source, s + 1, e));
    return this.source.slice(s + 1, e);
  }

  /** Consumes an optional identifier. */
  maybeId(): string | null {
    if (this.kind() !== Tok.Id) return null;
    return this.idName(this.pos++);
  }

  /** Consumes a string literal and returns its bytes. */
  bytes(): Uint8Array {
    if (this.kind() !== Tok.String) this.unexpected();
    const at = this.pos++;
    return decodeStringBytes(this.source, this.tokens.start[at]!, this.tokens.end[at]!);
  }

  /** Consumes a string literal that must be valid UTF-8 (a name) and returns its bytes. */
  nameBytes(): Uint8Array {
    const at = this.pos;
    const b = this.bytes();
    if (!isValidUtf8(b)) this.error('malformed UTF-8 encoding', at);
    return b;
  }

  /** Consumes an unsigned 32-bit literal. */
  u32(): number {
    if (this.kind() !== Tok.Number) this.unexpected();
    return this.literal(() => parseU32(this.text()));
  }

  /** Runs a literal parser on the current token, attaching its position to any error; consumes it. */
  literal<T>(parse: () => T): T {
    try {
      const value = parse();
      this.pos++;
      return value;
    } catch (e) {
      if (e instanceof LiteralError) this.error(e.reason);
      throw e;
    }
  }
}
