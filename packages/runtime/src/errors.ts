// The engine's error types, named and shaped as the JS API specifies: `CompileError` (the
// decoder's, re-exported), `LinkError` for imports that do not match, `RuntimeError` for traps.
// https://webassembly.github.io/spec/js-api/#error-objects

import { trapMessage, type TrapReason } from '@flint/backend';

export { CompileError } from '@flint/decoder';

/** An import that is missing or does not match its declaration. */
export class LinkError extends Error {
  override name = 'LinkError';
}

/** A trap (message = the spec's trap text), or a runtime failure during instantiation. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
  /** The trap reason, or null for failures that are not traps (e.g. unsupported features). */
  readonly reason: TrapReason | null;

  constructor(message: string, reason: TrapReason | null = null) {
    super(message);
    this.reason = reason;
  }

  static trap(reason: TrapReason): RuntimeError {
    return new RuntimeError(trapMessage(reason), reason);
  }
}

/** A module uses something this engine cannot run yet (a proposal, a tier, a host). */
export class UnsupportedError extends Error {
  override name = 'UnsupportedError';
}
