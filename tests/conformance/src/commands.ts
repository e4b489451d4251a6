// The harness's view of a script: the commands it distinguishes, each with its line. The text
// package's WAST parser produces the script; `fromWast` (wast-adapter.ts) maps it to this.
// Spec: https://github.com/WebAssembly/spec/tree/main/interpreter#scripts

/** A module as a script gives it: encoded text, raw binary, or quoted text still to be parsed. */
export interface ScriptModule {
  readonly kind: 'text' | 'binary' | 'quote';
  /** The encoded module for `text` and `binary` modules. */
  readonly bytes: Uint8Array | null;
  /** The text of a `quote` module (or of a text module the script parser did not encode). */
  readonly source: string | null;
  /** Why the script parser could not encode a text module. */
  readonly error?: Error | null;
}

export type ModuleAssertion = 'assert_invalid' | 'assert_malformed' | 'assert_unlinkable' | 'assert_uninstantiable' | 'assert_trap';
export type ExecutionCommand =
  | 'module_instance'
  | 'register'
  | 'invoke'
  | 'get'
  | 'assert_return'
  | 'assert_trap'
  | 'assert_exhaustion'
  | 'assert_exception'
  | 'thread'
  | 'wait'
  /** Checks of custom-section annotations, which the core spec leaves to custom-section consumers. */
  | 'assert_malformed_custom'
  | 'assert_invalid_custom';

export type HarnessCommand =
  | { readonly type: 'module'; readonly line: number; readonly module: ScriptModule }
  | { readonly type: ModuleAssertion; readonly line: number; readonly module: ScriptModule; readonly message: string }
  | { readonly type: ExecutionCommand; readonly line: number };
