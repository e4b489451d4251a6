// Control frame kinds of the function validator (the `opcode` of a control frame in the spec's
// validation algorithm), shared by the validator core and its operator-family handlers.
// Spec: https://webassembly.github.io/spec/core/appendix/algorithm.html

/** Control frame kinds (the `opcode` of a control frame in the spec appendix). */
export const FrameKind = {
  Function: 0,
  Block: 1,
  Loop: 2,
  If: 3,
  Else: 4,
  TryTable: 5,
  /** Legacy exception handling. */
  Try: 6,
  Catch: 7,
  CatchAll: 8,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

