// Reads a module given on the command line: binary `.wasm`, or text `.wat`/`.wast`-module
// source assembled by @flint/text. A text module keeps the way back from its bytes to the text,
// so that errors the decoder or validator reports at a module offset show a line and column.
import { readFileSync } from 'node:fs';
import { CompileError } from '@flint/decoder';
import { assembleWat, type SourcePosition } from '@flint/text';

export interface LoadedModule {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly fromText: boolean;
  /** For text modules: the text position of a module offset (null where no text produced it). */
  readonly sourcePositionOf: (moduleOffset: number) => SourcePosition | null;
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
const noPosition = (): null => null;

/** `raw`: the file's contents when the caller has already read them. */
export function loadModule(path: string, raw: Buffer = readFileSync(path)): LoadedModule {
  const isBinary = WASM_MAGIC.every((b, i) => raw[i] === b);
  if (isBinary || path.endsWith('.wasm')) {
    return { path, bytes: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), fromText: false, sourcePositionOf: noPosition };
  }
  // With a name section for the text's `$identifiers`: backtraces and disassembly then name functions.
  const wat = assembleWat(raw.toString('utf8'), { names: true });
  return { path, bytes: wat.bytes, fromText: true, sourcePositionOf: (offset) => wat.sourcePositionOf(offset) };
}

/** A `CompileError` of a module assembled from text, with the text position of its offset. */
export class TextCompileError extends Error {
  override readonly name = 'TextCompileError';
  constructor(
    readonly error: CompileError,
    readonly position: SourcePosition,
  ) {
    super(error.message);
  }
}

/** Runs `work` on `loaded`; a `CompileError` at an offset its text produced becomes a `TextCompileError`. */
export function locatingErrors<T>(loaded: LoadedModule, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof CompileError) {
      const position = loaded.sourcePositionOf(error.offset);
      if (position !== null) throw new TextCompileError(error, position);
    }
    throw error;
  }
}
