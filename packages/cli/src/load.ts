// Reads a module given on the command line: binary `.wasm`, or text `.wat`/`.wast`-module
// source assembled by @flint/text.
import { readFileSync } from 'node:fs';
import { parseWat } from '@flint/text';

export interface LoadedModule {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly fromText: boolean;
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** `raw`: the file's contents when the caller has already read them. */
export function loadModule(path: string, raw: Buffer = readFileSync(path)): LoadedModule {
  const isBinary = WASM_MAGIC.every((b, i) => raw[i] === b);
  if (isBinary || path.endsWith('.wasm')) {
    return { path, bytes: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), fromText: false };
  }
  return { path, bytes: parseWat(raw.toString('utf8')), fromText: true };
}
