// The one error type of the text parser. Every malformed input — a bad token, an unknown name,
// an out-of-range literal — surfaces as a WatSyntaxError carrying the 1-based line and column of
// the offending token, so a person can go straight to it.

export class WatSyntaxError extends Error {
  override readonly name = 'WatSyntaxError';
  /** 1-based line and column of the offending token; `offset` is its UTF-16 index in the source. */
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The message without the position prefix (what the spec testsuite's expectations match). */
  readonly reason: string;

  constructor(reason: string, line: number, column: number, offset: number, filename?: string) {
    super(`${filename ? `${filename}:` : ''}${line}:${column}: ${reason}`);
    this.reason = reason;
    this.line = line;
    this.column = column;
    this.offset = offset;
  }
}

/** Line and column (both 1-based) of a source offset; computed only when an error is raised. */
export function positionOf(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export function syntaxError(source: string, offset: number, reason: string, filename?: string): WatSyntaxError {
  const { line, column } = positionOf(source, offset);
  return new WatSyntaxError(reason, line, column, offset, filename);
}
