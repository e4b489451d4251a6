// The on-disk code cache (opt-in: `EngineOptions.codeCacheDirectory`). One file per module bytes,
// backend and tier, in the one container format (serialize.ts), so a file `flint compile` wrote
// is also a valid entry. A file whose key does not match this engine (another build, other CPU
// features) is replaced on the next compile; a damaged file is ignored and replaced. Writes go
// through a temporary file and a rename, so a reader never sees half a file, and concurrent
// writers (threads, processes) only race to put the same bytes in place.
//
// Entries are machine code that will run: the directory must be as trusted as the program.

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** What happened to lookups and stores since the engine was made (for tests and diagnostics). */
export interface DiskCacheStats {
  /** Lookups answered from a file. */
  hits: number;
  /** Lookups that found no file. */
  misses: number;
  /** Files found but refused (damaged, or keyed for another build, backend or CPU); each is replaced. */
  refused: number;
  /** Files written. */
  writes: number;
  /** Writes that failed (a read-only or missing directory); compilation goes on without the cache. */
  writeFailures: number;
}

export class DiskCodeCache {
  readonly stats: DiskCacheStats = { hits: 0, misses: 0, refused: 0, writes: 0, writeFailures: 0 };
  #made = false;

  constructor(readonly directory: string) {}

  /** The file of a module (its bytes' SHA-256), backend and tier. */
  fileFor(bytesHash: string, backend: string, tier: string): string {
    return join(this.directory, `${bytesHash}-${backend}-${tier}.flint`);
  }

  /** The file's bytes, or null when there is none (or it cannot be read). */
  read(file: string): Uint8Array | null {
    try {
      const data = readFileSync(file);
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } catch {
      this.stats.misses++;
      return null;
    }
  }

  write(file: string, container: Uint8Array): void {
    const temporary = `${file}.${process.pid}-${threadId}.tmp`;
    try {
      if (!this.#made) {
        mkdirSync(this.directory, { recursive: true });
        this.#made = true;
      }
      writeFileSync(temporary, container);
      renameSync(temporary, file);
      this.stats.writes++;
    } catch {
      this.stats.writeFailures++;
      try {
        rmSync(temporary, { force: true });
      } catch {
        // Nothing was written where nothing can be.
      }
    }
  }
}
