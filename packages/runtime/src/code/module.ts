// A compiled module: the decoded module, its validation result (canonical type ids, features)
// and its code, placed in one executable region. Immutable and shareable: every instance of the
// module runs the same code with its own VM context.

import type { FinishedCode, Signature } from '@flint/backend';
import type { FuncType, Module, ValidationResult } from '@flint/decoder';
import type { CodeRegion } from './code-space.ts';
import type { LazyCode } from '../compile/lazy.ts';
import { packFinishedCode } from './code-pack.ts';
import { UnsupportedError } from '../errors.ts';
import { ENGINE_VERSION, writeCodeCache } from './serialize.ts';
import { signatureOf } from '../instance/values.ts';
import type { TierName } from '../compile/tiers.ts';

/** What `serialize()` needs: the code before relocation and what the cache is keyed by. */
export interface CacheSource {
  /** Unrelocated code of every defined function, in order. */
  readonly pieces: readonly FinishedCode[];
  /** SHA-256 of the module bytes, hex. */
  readonly bytesHash: string;
  readonly backend: string;
  /** The CPU features the code was compiled with (`CpuFeatureSet.key`). */
  readonly cpuFeatures: string;
}

export interface CompileOptions {
  /** The tier to compile with, by its name in the tier registry (default `baseline`). */
  readonly tier?: TierName;
  /** Compile each function on its first call (through a stub from the backend). */
  readonly lazy?: boolean;
  /**
   * Called after each function is compiled, with the count done and the module's total (a
   * progress bar's feed). Not part of the module's identity: the in-memory and code caches
   * ignore it, and a module served from the in-memory cache reports nothing.
   */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The options a module was compiled with, defaults filled in (what caches are keyed by). */
export interface ResolvedCompileOptions {
  readonly tier: TierName;
  readonly lazy: boolean;
}

export class CompiledModule {
  readonly module: Module;
  readonly validation: ValidationResult;
  readonly options: ResolvedCompileOptions;
  /** All defined functions' code: piece i is function `numImportedFunctions + i`. */
  readonly #region: CodeRegion | null;
  readonly #signatures: Signature[] = [];

  /** Lazy-compilation state when compiled with `lazy: true`. */
  readonly lazy: LazyCode | null;
  readonly #cacheSource: CacheSource | null;

  constructor(
    module: Module,
    validation: ValidationResult,
    region: CodeRegion | null,
    options: ResolvedCompileOptions,
    lazy: LazyCode | null = null,
    cacheSource: CacheSource | null = null,
  ) {
    this.lazy = lazy;
    this.#cacheSource = cacheSource;
    this.module = module;
    this.validation = validation;
    this.#region = region;
    this.options = options;
  }

  /**
   * The code cache of this module (see serialize.ts): load it with
   * `Engine.deserialize(cache, moduleBytes)` in an engine of the same version and backend.
   * Lazily compiled modules have no complete code to cache.
   */
  serialize(): Uint8Array {
    const source = this.#cacheSource;
    if (source === null) throw new UnsupportedError(this.lazy !== null ? 'a lazily compiled module cannot be serialized (compile it with lazy: false)' : 'this module was compiled without keeping its code for serialization');
    return writeCodeCache({
      key: { engine: ENGINE_VERSION, backend: source.backend, cpuFeatures: source.cpuFeatures, tier: this.options.tier, lazy: this.options.lazy, module: source.bytesHash },
      code: packFinishedCode(source.pieces),
      features: [...this.validation.features],
      declaredFunctions: this.validation.declaredFunctions,
    });
  }

  /** Code address of defined function `funcIndex` (its stub while lazily compiled). */
  codeAddress(funcIndex: number): bigint {
    if (this.#region === null) throw new UnsupportedError('module has no code');
    return this.#region.addressOf(funcIndex - this.module.numImportedFunctions);
  }

  funcType(typeIndex: number): FuncType {
    const composite = this.module.types[typeIndex]?.composite;
    if (composite === undefined || composite.kind !== 'func') throw new UnsupportedError(`type ${typeIndex} is not a function type`);
    return composite;
  }

  /** The function type of function `funcIndex` (imports included). */
  functionType(funcIndex: number): FuncType {
    return this.funcType(this.module.functions[funcIndex]!);
  }

  /** The machine signature of type `typeIndex`, computed once. */
  signature(typeIndex: number): Signature {
    let signature = this.#signatures[typeIndex];
    if (signature === undefined) {
      signature = signatureOf(this.funcType(typeIndex));
      this.#signatures[typeIndex] = signature;
    }
    return signature;
  }

  canonicalTypeId(typeIndex: number): number {
    return this.validation.canonicalTypeIds[typeIndex]!;
  }

  /** The JS API's `Module.imports` descriptors. */
  importDescriptors(): { module: string; name: string; kind: ExternKindName }[] {
    return this.module.imports.map((imp) => ({ module: imp.module, name: imp.name, kind: EXTERN_KIND_NAMES[imp.desc.kind] }));
  }

  exportDescriptors(): { name: string; kind: ExternKindName }[] {
    return this.module.exports.map((exp) => ({ name: exp.name, kind: EXTERN_KIND_NAMES[exp.kind] }));
  }

  customSections(name: string): ArrayBuffer[] {
    return this.module.customSections
      .filter((section) => section.name === name)
      .map((section) => section.bytes.slice().buffer as ArrayBuffer);
  }
}

export type ExternKindName = 'function' | 'table' | 'memory' | 'global' | 'tag';
export const EXTERN_KIND_NAMES: readonly ExternKindName[] = ['function', 'table', 'memory', 'global', 'tag'];
