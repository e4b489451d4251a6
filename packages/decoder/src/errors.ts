// The decoder's one error type. Messages start with the spec testsuite's reason wording
// ("unexpected end", "integer too large", …) so that assert_malformed checks can match them,
// then say what was found and where.

/** A malformed or invalid module. `offset` is the module offset of the offending byte. */
export class CompileError extends Error {
  override name = 'CompileError';
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/**
 * Builds the standard message: `<reason>[: <detail>] (at byte 0x<offset>[, <context>])`,
 * e.g. `integer too large (at byte 0x1f, code section, function #3)`.
 */
export function compileError(reason: string, detail: string | null, offset: number, context: string | null): CompileError {
  const what = detail === null || detail === '' ? reason : `${reason}: ${detail}`;
  const where = context === null || context === '' ? `at byte 0x${offset.toString(16)}` : `at byte 0x${offset.toString(16)}, ${context}`;
  return new CompileError(`${what} (${where})`, offset);
}
