// Relocations: places in finished code that refer to something outside it (another function, a
// runtime builtin), resolved by the runtime's code space once every piece of code has an address.

/**
 * How a relocation is written. Each kind fixes its width and formula; `P` is the address of the
 * patched field, `S` the target's address, `A` the addend.
 */
export const RelocKind = {
  /** 8 bytes, little endian: `S + A`. Absolute addresses loaded with a 64-bit immediate. */
  Abs64: 0,
  /** 4 bytes, signed: `S + A - (P + 4)`. x64 `call rel32` / `jmp rel32` / RIP-relative operands. */
  PcRel32: 1,
  /** arm64 `bl`/`b`: low 26 bits of the instruction word at P get `(S + A - P) >> 2`. */
  Arm64Call26: 2,
} as const;
export type RelocKind = (typeof RelocKind)[keyof typeof RelocKind];

/** What a relocation points at. */
export const RelocTarget = {
  /** A function of the module being placed, by function index (imports included). */
  Function: 0,
  /** A runtime builtin (memory.grow, table.get, …), by the runtime's builtin id. */
  Builtin: 1,
  /** The shared trap-exit stub that returns a pending trap to the host. */
  TrapExit: 2,
} as const;
export type RelocTarget = (typeof RelocTarget)[keyof typeof RelocTarget];

export interface Relocation {
  /** Offset of the patched field from the start of the code. */
  readonly at: number;
  readonly kind: RelocKind;
  readonly target: RelocTarget;
  /** Function index or builtin id; 0 for `TrapExit`. */
  readonly index: number;
  readonly addend: number;
}
