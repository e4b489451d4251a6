// "Not supported" is a value: a backend or tier that cannot compile something throws a
// `BackendBailout` with a reason from a closed list, and the engine falls back to another tier or
// reports it. Tests can treat any bailout as fatal so coverage cannot shrink unnoticed.

export const BailoutReason = {
  /** An operator this backend/tier has not implemented yet (detail: operator name). */
  UnsupportedOperator: 'unsupported-operator',
  /** A value type it cannot hold in registers (e.g. v128 without SIMD support). */
  UnsupportedType: 'unsupported-type',
  /** A proposal/feature it does not implement (detail: feature name). */
  UnsupportedFeature: 'unsupported-feature',
  /** More locals or operand-stack slots than the frame layout allows. */
  TooManyLocals: 'too-many-locals',
  /** A function body too large for this tier's branch or frame encodings. */
  FunctionTooLarge: 'function-too-large',
  /** The host CPU lacks an ISA extension the backend requires (detail: extension name). */
  IsaExtensionMissing: 'isa-extension-missing',
  /** The host architecture or OS has no backend. */
  UnsupportedHost: 'unsupported-host',
} as const;
export type BailoutReason = (typeof BailoutReason)[keyof typeof BailoutReason];

export class BackendBailout extends Error {
  override readonly name = 'BackendBailout';
  constructor(
    readonly reason: BailoutReason,
    /** What exactly was not supported: an operator name, a type, an extension. */
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}

export const isBackendBailout = (error: unknown): error is BackendBailout => error instanceof BackendBailout;
