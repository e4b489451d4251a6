// What a function generator may refer to: the module's function types, functions, globals,
// table and memory. Owned by the module generator, read by the function generator.
import type { ValType } from '@flint/decoder';
import type { Prng } from '../prng.ts';

export interface FunctionSignature {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export interface GlobalInfo {
  readonly type: ValType;
  readonly mutable: boolean;
}

/**
 * What the shrinker removes from a module. Ids number statements and expressions in generation
 * order across the module; a removed statement (net stack effect zero) is cut out, a removed
 * expression becomes the zero of its type, a stubbed function returns zeros. Generation still
 * draws the same random choices, so everything else stays as it was.
 */
export interface ShrinkMask {
  readonly stubbedFunctions: ReadonlySet<number>;
  readonly droppedStatements: ReadonlySet<number>;
  readonly zeroedExpressions: ReadonlySet<number>;
}

export const NO_SHRINK: ShrinkMask = { stubbedFunctions: new Set(), droppedStatements: new Set(), zeroedExpressions: new Set() };

/** Running counts of generated statements and expressions (their ids). */
export interface GenerationIds {
  statements: number;
  expressions: number;
}

/** Optional parts of the generated language, for engines (or seeds) that must do without them. */
export interface GeneratorFeatures {
  /** `return_call` / `return_call_indirect`. */
  readonly tailCalls: boolean;
}

export const ALL_FEATURES: GeneratorFeatures = { tailCalls: true };

export interface ModuleContext {
  readonly features: GeneratorFeatures;
  readonly mask: ShrinkMask;
  readonly ids: GenerationIds;
  readonly rng: Prng;
  /** The type index of a function type, registered on first use. */
  typeIndexOf(signature: FunctionSignature): number;
  /** Signatures of all functions by function index (the import first). */
  readonly functions: readonly FunctionSignature[];
  /** Function indices the generated code may call (generated functions, the import). */
  readonly callable: readonly number[];
  readonly globals: readonly GlobalInfo[];
  /** The mutable i32 global every loop iteration and function entry decrements; 0 stops them. */
  readonly fuelGlobal: number;
  /**
   * Scales every trap-prone choice (trapping operators, out-of-bounds addresses, mismatched or
   * empty table slots, `unreachable`): per module, so that some modules run deep without
   * trapping and others trap often. In (0, 1].
   */
  readonly trapRate: number;
  /** Per module: deeper expressions keep more values live at once (register pressure). */
  readonly maxExpressionDepth: number;
  readonly tableSize: number;
  /** The function index in each table slot, null for a slot left empty. */
  readonly tableSlots: readonly (number | null)[];
  /** Whether the memory has a maximum (growth beyond it fails with -1). */
  readonly memoryMaxPages: number | undefined;
}
