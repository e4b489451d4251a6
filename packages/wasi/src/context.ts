// The state one WASI instance's calls share.
import { FdTable } from './fd-table.ts';
import { GuestMemory } from './memory.ts';

export class WasiContext {
  readonly memory = new GuestMemory();
  readonly fds = new FdTable();

  constructor(
    /** Each argument as UTF-8 with its terminating NUL, encoded once at setup. */
    readonly args: readonly Uint8Array[],
    /** Each `KEY=VALUE` as UTF-8 with its terminating NUL. */
    readonly environ: readonly Uint8Array[],
  ) {}
}
