// Per-module facts the translator needs, computed once per module and reused for each of its
// functions: signatures as value kinds, call layouts under the backend's Wasm convention, the
// memory-0 minimum size, and which functions are small enough to inline.

import {
  BackendBailout,
  BailoutReason,
  ValueKind,
  computeCallLayout,
  type CallLayout,
  type CallingConvention,
  type Signature,
} from '@flint/backend';
import { ValType, isRefType, type FuncType, type Module } from '@flint/decoder';

/** Maps a decoder value type to the backend's value kind; v128 and GC packed types bail out. */
export function valueKindOf(type: number): ValueKind {
  switch (type) {
    case ValType.I32:
      return ValueKind.I32;
    case ValType.I64:
      return ValueKind.I64;
    case ValType.F32:
      return ValueKind.F32;
    case ValType.F64:
      return ValueKind.F64;
    default:
      if (isRefType(type)) return ValueKind.Ref;
      throw new BackendBailout(BailoutReason.UnsupportedType, type === ValType.V128 ? 'v128' : `value type 0x${type.toString(16)}`);
  }
}

export class ModuleInfo {
  readonly module: Module;
  readonly cc: CallingConvention;
  /** Bytes memory 0 always has (memory never shrinks; an import has at least the declared minimum). */
  readonly memory0MinBytes: number;
  private readonly signatures: (Signature | undefined)[] = [];
  private readonly layouts: (CallLayout | undefined)[] = [];

  constructor(module: Module, cc: CallingConvention) {
    this.module = module;
    this.cc = cc;
    const memory0 = module.memories[0];
    this.memory0MinBytes = memory0 === undefined || memory0.pageSizeLog2 !== 16 || memory0.address !== 'i32' ? 0 : Number(memory0.min) * 65536;
  }

  funcType(typeIndex: number): FuncType {
    const composite = this.module.types[typeIndex]!.composite;
    if (composite.kind !== 'func') throw new BackendBailout(BailoutReason.UnsupportedFeature, `type ${typeIndex} is not a function type`);
    return composite;
  }

  signature(typeIndex: number): Signature {
    let sig = this.signatures[typeIndex];
    if (sig === undefined) {
      const type = this.funcType(typeIndex);
      sig = { params: type.params.map(valueKindOf), results: type.results.map(valueKindOf) };
      this.signatures[typeIndex] = sig;
    }
    return sig;
  }

  layout(typeIndex: number): CallLayout {
    let layout = this.layouts[typeIndex];
    if (layout === undefined) {
      layout = computeCallLayout(this.cc, this.signature(typeIndex));
      this.layouts[typeIndex] = layout;
    }
    return layout;
  }

  typeOfFunction(funcIndex: number): number {
    return this.module.functions[funcIndex]!;
  }

  isImported(funcIndex: number): boolean {
    return funcIndex < this.module.numImportedFunctions;
  }
}
