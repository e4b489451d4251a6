// Test-only: runs the decoder and reduces the result to a Module or a CompileError, so tests
// can compare outcomes of different runs.
import type { Module } from '../../src/index.ts';
import { CompileError, StreamingDecoder, decodeModule } from '../../src/index.ts';

export type Outcome = { module: Module } | { error: CompileError };

export function oneShot(bytes: Uint8Array): Outcome {
  try {
    return { module: decodeModule(bytes) };
  } catch (e) {
    if (e instanceof CompileError) return { error: e };
    throw e;
  }
}

export function streamed(chunks: readonly Uint8Array[]): Outcome {
  const decoder = new StreamingDecoder();
  try {
    for (const chunk of chunks) decoder.push(chunk);
    return { module: decoder.finish() };
  } catch (e) {
    if (e instanceof CompileError) return { error: e };
    throw e;
  }
}

/** The comparable essence of an error. */
export const errorKey = (e: CompileError) => ({ message: e.message, offset: e.offset });
