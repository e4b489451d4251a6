// The engines a client runs on, one child process each: Node's own WebAssembly under V8 flags
// (V8 fixes its tiers per process), or Flint's namespace installed as the global, on the tier
// FLINT_TIER names (libraries call the standard API, which names no tier).

export interface ClientEngine {
  /** How reports name the column. */
  readonly label: string;
  readonly kind: 'node' | 'flint';
  /** Node flags of the child. */
  readonly nodeFlags: readonly string[];
  /** Environment of the child, beside the parent's. */
  readonly env: Readonly<Record<string, string>>;
}

export const NODE_DEFAULT: ClientEngine = { label: 'V8', kind: 'node', nodeFlags: [], env: {} };
export const NODE_LIFTOFF: ClientEngine = {
  label: 'V8 Liftoff',
  kind: 'node',
  nodeFlags: ['--liftoff', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering'],
  env: {},
};
export const NODE_TURBOFAN: ClientEngine = { label: 'V8 TurboFan', kind: 'node', nodeFlags: ['--no-liftoff'], env: {} };

/** Flint on one registered tier. */
export function flintEngine(tier: string): ClientEngine {
  return { label: `Flint ${tier}`, kind: 'flint', nodeFlags: [], env: { FLINT_TIER: tier } };
}
