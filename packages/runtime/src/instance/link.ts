// Import matching: whether an external value may satisfy an import, with a `LinkError` that
// names the import and says what was wrong.
// https://webassembly.github.io/spec/core/exec/modules.html#import-matching (and the JS API's
// "read the imports" step: https://webassembly.github.io/spec/js-api/#read-the-imports)

import { ExternKind, HeapType, heapTypeOf, isConcreteHeap, isNullable, isRefType, type GlobalType, type Import, type Limits, type ValType } from '@flint/decoder';
import { LinkError } from '../errors.ts';
import type { ExternValue } from './extern.ts';
import type { CompiledModule } from '../code/module.ts';
import { EXTERN_KIND_NAMES } from '../code/module.ts';

/** `import #3 "env" "f": <what>` */
export function linkError(index: number, imp: Import, what: string): LinkError {
  return new LinkError(`import #${index} "${imp.module}" "${imp.name}": ${what}`);
}

/** Throws a `LinkError` unless `value` matches import `index` of `compiled`. */
export function checkImport(compiled: CompiledModule, index: number, value: ExternValue): void {
  const imp = compiled.module.imports[index]!;
  const desc = imp.desc;
  const expectedKind = EXTERN_KIND_NAMES[desc.kind];
  if (value.kind !== expectedKind) {
    throw linkError(index, imp, `incompatible import type: expected a ${expectedKind}, got a ${value.kind}`);
  }
  switch (desc.kind) {
    case ExternKind.Func: {
      if (value.kind !== 'function') return;
      const expected = compiled.canonicalTypeId(desc.typeIndex);
      const actual = value.handle.typeId;
      if (actual !== expected && !compiled.validation.canonicalizer.isSubtype(actual, expected)) {
        throw linkError(index, imp, 'incompatible import type: imported function does not match the expected function type');
      }
      return;
    }
    case ExternKind.Global: {
      if (value.kind !== 'global') return;
      checkGlobalType(index, imp, desc.type, value.global.type);
      return;
    }
    case ExternKind.Memory: {
      if (value.kind !== 'memory') return;
      const memory = value.memory;
      checkLimits(index, imp, 'memory', desc.type, BigInt(memory.pages), memory.type);
      return;
    }
    case ExternKind.Table: {
      if (value.kind !== 'table') return;
      const table = value.table;
      if (!sameValType(desc.type.element, table.type.element)) {
        throw linkError(index, imp, 'incompatible import type: table element types differ');
      }
      checkLimits(index, imp, 'table', desc.type.limits, BigInt(table.length), table.type.limits);
      return;
    }
    default:
      throw linkError(index, imp, 'incompatible import type: tag imports are not supported yet');
  }
}

function checkGlobalType(index: number, imp: Import, expected: GlobalType, actual: GlobalType): void {
  if (expected.mutable !== actual.mutable) {
    throw linkError(index, imp, `incompatible import type: global mutability differs (import is ${expected.mutable ? 'mutable' : 'immutable'})`);
  }
  // Mutable globals need equal types; an immutable one may be of a subtype.
  const ok = expected.mutable ? sameValType(expected.type, actual.type) : isSubtypeOf(actual.type, expected.type);
  if (!ok) throw linkError(index, imp, 'incompatible import type: global value types differ');
}

/**
 * Value types of two modules compared as far as the runtime can today: exactly for numeric and
 * abstract reference types; concrete reference types match when both are concrete (temporary:
 * comparing their canonical ids needs the exporter's module, which globals do not carry yet).
 */
function sameValType(a: ValType, b: ValType): boolean {
  if (a === b) return true;
  if (!isRefType(a) || !isRefType(b)) return false;
  return isConcreteHeap(heapTypeOf(a)) && isConcreteHeap(heapTypeOf(b)) && (a & 0x7ff) === (b & 0x7ff);
}

/** Reference subtyping over abstract heap types (concrete types as in `sameValType`). */
function isSubtypeOf(sub: ValType, sup: ValType): boolean {
  if (sameValType(sub, sup)) return true;
  if (!isRefType(sub) || !isRefType(sup)) return false;
  if (isNullable(sub) && !isNullable(sup)) return false;
  const a = heapTypeOf(sub);
  const b = heapTypeOf(sup);
  if (a === b || (isConcreteHeap(a) && isConcreteHeap(b))) return true;
  switch (b) {
    case HeapType.Func:
      return isConcreteHeap(a) || a === HeapType.NoFunc;
    case HeapType.Extern:
      return a === HeapType.NoExtern;
    case HeapType.Exn:
      return a === HeapType.NoExn;
    case HeapType.Any:
      return a === HeapType.Eq || a === HeapType.I31 || a === HeapType.Struct || a === HeapType.Array || a === HeapType.None || isConcreteHeap(a);
    case HeapType.Eq:
      return a === HeapType.I31 || a === HeapType.Struct || a === HeapType.Array || a === HeapType.None || isConcreteHeap(a);
    case HeapType.Struct:
    case HeapType.Array:
    case HeapType.I31:
      return a === HeapType.None;
    default:
      return isConcreteHeap(b) && (a === HeapType.NoFunc || a === HeapType.None);
  }
}

function checkLimits(index: number, imp: Import, what: string, expected: Limits, actualMin: bigint, actual: Limits): void {
  if (expected.address !== actual.address) throw linkError(index, imp, `incompatible import type: ${what} address types differ`);
  if (expected.shared !== actual.shared) throw linkError(index, imp, `incompatible import type: ${what} sharedness differs`);
  if (expected.pageSizeLog2 !== actual.pageSizeLog2) throw linkError(index, imp, `incompatible import type: ${what} page sizes differ`);
  if (actualMin < expected.min) {
    throw linkError(index, imp, `incompatible import type: ${what} has ${actualMin} ${what === 'memory' ? 'pages' : 'elements'}, the import requires at least ${expected.min}`);
  }
  if (expected.max !== null) {
    if (actual.max === null) throw linkError(index, imp, `incompatible import type: ${what} has no maximum, the import requires at most ${expected.max}`);
    if (actual.max > expected.max) throw linkError(index, imp, `incompatible import type: ${what} maximum ${actual.max} exceeds the import's ${expected.max}`);
  }
}
