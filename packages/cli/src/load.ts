// Reads a module given on the command line: binary `.wasm`, or text `.wat`/`.wast`-module
// source assembled by @flint/text. A text module keeps the way back from its bytes to the text,
// so that errors the decoder or validator reports at a module offset show a line and column.
import { closeSync, openSync, readSync } from 'node:fs';
import { CompileError, ImplementationLimits } from '@flint/decoder';
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

const READ_CHUNK_BYTES = 1 << 20;

/**
 * The contents of a module file (or code cache), read no further than `limit` bytes (default 1 GiB,
 * the most any module may have): a longer input — `/dev/zero`, a pipe that never ends — is a
 * CompileError ("module too large") once it passes the limit, not a process that grows until it dies.
 */
export function readInputFile(path: string, limit: number = ImplementationLimits.maxModuleSize): Buffer {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, limit + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
      total += read;
      if (total > limit) throw new CompileError(`module too large: more than ${limit} bytes (at byte 0x${limit.toString(16)})`, limit);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** `raw`: the file's contents when the caller has already read them. */
export function loadModule(path: string, raw: Buffer = readInputFile(path)): LoadedModule {
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
