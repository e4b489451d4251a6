// Tags and exceptions in the store: a tag is an identity with a function type (its parameters are
// the payload, its results empty); an exception is a tag and its payload. Code does not throw or
// catch yet (the compilers do not implement the exception-handling instructions), so both live
// on the JS side only: the JS API creates, imports and exports them.
// https://webassembly.github.io/spec/core/exec/runtime.html#tag-instances
// https://webassembly.github.io/spec/core/exec/runtime.html#exception-instances

import type { FuncType, SubType, TypeCanonicalizer } from '@flint/decoder';
import type { WasmValue } from './values.ts';

export class TagInstance {
  /** The tag's function type; `results` is empty. */
  readonly type: FuncType;
  /** Canonical id of the type in the store's canonicalizer: imports match when ids are equal. */
  readonly typeId: number;

  constructor(type: FuncType, typeId: number) {
    this.type = type;
    this.typeId = typeId;
  }

  /** A tag of type `params → ()` made outside any module (the JS API's `new Tag`, the JS tag). */
  static ofParams(canonicalizer: TypeCanonicalizer, params: FuncType['params']): TagInstance {
    const type: FuncType = { kind: 'func', params, results: [] };
    const subType: SubType = { final: true, supertypes: [], composite: type, recGroupStart: 0, recGroupSize: 1, describes: -1, descriptor: -1, offset: 0 };
    return new TagInstance(type, canonicalizer.canonicalize([subType])[0]!);
  }
}

export class ExceptionInstance {
  readonly tag: TagInstance;
  /** One value per parameter of the tag's type, in the engine's representation. */
  readonly payload: readonly WasmValue[];

  constructor(tag: TagInstance, payload: readonly WasmValue[]) {
    this.tag = tag;
    this.payload = payload;
  }
}
