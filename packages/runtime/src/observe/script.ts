// A compiled module as tools see it — V8 calls it a script: an id, a URL that names it in stack
// traces and profiles, the source-map URL from its custom section, and its function names.
//
// The URL is the one the module was fetched from when known (`compileStreaming(response)` gives
// `response.url`; a caller may give one), else `wasm://wasm/<hash>`, or `wasm://wasm/<name>-<hash>`
// when the name section names the module — V8's scheme. `<hash>` is 8 hex digits of the SHA-256
// of the module bytes (V8 uses its own hash of the wire bytes; the digits differ from V8's, the
// shape does not).

import { ExternKind, type Module } from '@flint/decoder';

/** Where a module came from, as callers may state it (see `CompileOptions.url`). */
export interface ScriptOrigin {
  /** The URL the module bytes were loaded from. */
  readonly url?: string;
}

let nextScriptId = 1;

export class WasmScript {
  /** Unique per thread, in creation order. */
  readonly id: number;
  /** The URL frames and profiles name this module by. */
  readonly url: string;
  /** The URL given for the module (response URL or caller's), or null when it has only its `wasm://` name. */
  readonly sourceUrl: string | null;
  /** The `sourceMappingURL` custom section, or null (https://github.com/WebAssembly/tool-conventions/blob/main/Debugging.md#source-maps). */
  readonly sourceMapUrl: string | null;
  /** The module's name from the name section, or null. */
  readonly moduleName: string | null;
  /** 8 hex digits identifying the module bytes. */
  readonly hash: string;
  readonly #module: Module;

  constructor(module: Module, bytesHash: string, origin: ScriptOrigin = {}) {
    this.id = nextScriptId++;
    this.#module = module;
    this.hash = bytesHash.slice(0, 8);
    this.moduleName = module.names?.module ?? null;
    // An empty URL (a `Response` made in JS, not fetched) names nothing: the module keeps its wasm:// name.
    this.sourceUrl = origin.url === undefined || origin.url === '' ? null : origin.url;
    this.url = this.sourceUrl ?? `wasm://wasm/${this.moduleName === null ? '' : `${this.moduleName}-`}${this.hash}`;
    this.sourceMapUrl = sourceMappingUrl(module);
  }

  /** The name-section name of function `funcIndex`, or null. */
  functionName(funcIndex: number): string | null {
    return this.#module.names?.functions.get(funcIndex) ?? null;
  }

  /**
   * Module offset of defined function `funcIndex`'s body — its local declarations, just after the
   * size field, where V8 places a frame that has not reached its first operator (a stack
   * overflow in the prologue) — or -1.
   */
  functionOffset(funcIndex: number): number {
    const body = this.#module.codes[funcIndex - this.#module.numImportedFunctions];
    if (body === undefined) return -1;
    // The size field's length is not recorded: it is the k for which the size that follows,
    // (end of code) - (size field + k), takes k LEB128 bytes.
    const end = body.code.offset + body.code.bytes.length;
    for (let k = 1; k <= 5; k++) {
      const size = end - (body.offset + k);
      if (size >= 0 && lebLength(size) === k) return body.offset + k;
    }
    return body.code.offset;
  }

  /** A name for people when the name section has none: the first export of the function, or null. */
  exportName(funcIndex: number): string | null {
    return this.#module.exports.find((exp) => exp.kind === ExternKind.Func && exp.index === funcIndex)?.name ?? null;
  }
}

/** The URL in a `sourceMappingURL` custom section (a UTF-8 string with a LEB128 length), or null. */
export function sourceMappingUrl(module: Module): string | null {
  const section = module.customSections.find((s) => s.name === 'sourceMappingURL');
  if (section === undefined) return null;
  const bytes = section.bytes;
  let length = 0;
  let shift = 0;
  let at = 0;
  for (; at < bytes.length && at < 5; at++) {
    length += (bytes[at]! & 0x7f) * 2 ** shift;
    shift += 7;
    if ((bytes[at]! & 0x80) === 0) break;
  }
  at++;
  if (at > bytes.length || at + length > bytes.length) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + length));
  } catch {
    return null;
  }
}

/** Bytes of the shortest unsigned LEB128 encoding of `value`. */
function lebLength(value: number): number {
  let length = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    length++;
  }
  return length;
}
