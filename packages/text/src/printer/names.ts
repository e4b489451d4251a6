// Identifiers for the printed module, taken from the name section.
// Spec: https://webassembly.github.io/spec/core/appendix/custom.html#name-section
import type { Names } from '@flint/decoder';
import { identifierFor, quoteName } from './strings.ts';

/**
 * One index space's identifiers. A name that cannot be an identifier (empty) or that repeats an
 * earlier one in the same space gets none, and its uses print as the numeric index: ids must
 * be unique, and an index is always correct. Such a name is kept for a `(@name …)` annotation,
 * which can state any name.
 */
export class IdSpace {
  private readonly ids = new Map<number, string>();
  private readonly unrepresentable = new Map<number, string>();

  constructor(names: ReadonlyMap<number, string> | undefined) {
    if (names === undefined) return;
    const taken = new Set<string>();
    for (const [index, name] of names) {
      const id = identifierFor(name);
      if (id === null || taken.has(id)) {
        this.unrepresentable.set(index, name);
        continue;
      }
      taken.add(id);
      this.ids.set(index, id);
    }
  }

  /** The `$id` declared by the definition of `index`, or null. */
  declaration(index: number): string | null {
    return this.ids.get(index) ?? null;
  }

  /** ` (@name "…")` for a name of `index` that has no identifier, else ''. */
  nameAnnotation(index: number): string {
    const name = this.unrepresentable.get(index);
    return name === undefined ? '' : ` (@name ${quoteName(name)})`;
  }

  /** How a use of `index` is printed. */
  ref(index: number): string {
    return this.ids.get(index) ?? String(index);
  }
}

export const NO_IDS = new IdSpace(undefined);
const EMPTY = NO_IDS;

/** Every index space of one module. */
export class ModuleIds {
  readonly funcs: IdSpace;
  readonly tables: IdSpace;
  readonly memories: IdSpace;
  readonly globals: IdSpace;
  readonly tags: IdSpace;
  readonly types: IdSpace;
  readonly elems: IdSpace;
  readonly datas: IdSpace;
  readonly module: string | null;
  /** ` (@name "…")` when the module's name has no identifier (it is empty), else ''. */
  readonly moduleAnnotation: string;
  private readonly localsByFunc = new Map<number, IdSpace>();
  private readonly fieldsByType = new Map<number, IdSpace>();

  constructor(private readonly names: Names | null) {
    this.funcs = new IdSpace(names?.functions);
    this.tables = new IdSpace(names?.tables);
    this.memories = new IdSpace(names?.memories);
    this.globals = new IdSpace(names?.globals);
    this.tags = new IdSpace(names?.tags);
    this.types = new IdSpace(names?.types);
    this.elems = new IdSpace(names?.elems);
    this.datas = new IdSpace(names?.datas);
    this.module = names?.module != null ? identifierFor(names.module) : null;
    this.moduleAnnotation = names?.module != null && this.module === null ? ` (@name ${quoteName(names.module)})` : '';
  }

  locals(funcIndex: number): IdSpace {
    return this.spaceOf(this.localsByFunc, funcIndex, this.names?.locals);
  }

  fields(typeIndex: number): IdSpace {
    return this.spaceOf(this.fieldsByType, typeIndex, this.names?.fields);
  }

  private spaceOf(cache: Map<number, IdSpace>, index: number, source: Map<number, Map<number, string>> | undefined): IdSpace {
    const names = source?.get(index);
    if (names === undefined) return EMPTY;
    let space = cache.get(index);
    if (space === undefined) {
      space = new IdSpace(names);
      cache.set(index, space);
    }
    return space;
  }
}
