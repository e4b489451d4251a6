// The runtime's side of the backend kit's executable cases (`ExecuteFn`): places a built case in
// the store's code space and runs it through the store's invoker, in a VM context with what the
// case's setup asks for — memory 0, its own code in the jump table, the callee in a second
// instance behind import 0 and table 0, the runtime's builtins.

import { FuncRefRecord } from '@flint/backend';
import { INSTANCE_MARKERS, type BuiltCase, type ExecuteFn, type ExecutionOutcome } from '@flint/backend/testing';
import type { CodeRegion } from '../../src/code/code-space.ts';
import { builtinAddresses } from '../../src/instance/builtins.ts';
import { writeFuncRef, type Store } from '../../src/instance/store.ts';
import { NativeMemory } from '../../src/native/native-memory.ts';
import { KitInstance } from './kit-instance.ts';

export function kitExecute(store: Store): ExecuteFn {
  return (built, runs) => {
    const placed = new PlacedCase(store, built);
    try {
      return runs.map((args) => placed.run(args));
    } finally {
      placed.dispose();
    }
  };
}

class PlacedCase {
  readonly #store: Store;
  readonly #built: BuiltCase;
  readonly #regions: CodeRegion[] = [];
  readonly #owned: { dispose(): void }[] = [];
  readonly #instance: KitInstance;
  readonly #code: bigint;
  readonly #resetMemory: () => void = () => {};

  constructor(store: Store, built: BuiltCase) {
    this.#store = store;
    this.#built = built;
    const setup = built.setup;
    this.#code = this.#place(built.code);
    const instance = this.#own(new KitInstance(store));
    this.#instance = instance;
    if (setup.memoryLength !== undefined) {
      const memory = instance.addMemory(setup.memoryLength);
      const init = setup.memoryInit ?? [];
      this.#resetMemory = () => {
        const bytes = memory.bytes();
        bytes.fill(0);
        bytes.set(init);
      };
    }
    if (setup.selfInJumpTable === true) instance.setJumpTableSlot(0, this.#code);
    if (setup.builtins === true) builtinAddresses(store);
    if (setup.calls !== undefined) {
      if (built.callee === null) throw new Error(`case "${built.name}" makes calls but has no callee`);
      const callee = this.#place(built.callee);
      const other = this.#own(new KitInstance(store));
      instance.setMarker(INSTANCE_MARKERS.this);
      other.setMarker(INSTANCE_MARKERS.other);
      instance.setImport(0, callee, other.address);
      instance.setSignatureIds(setup.calls.signatureIds ?? []);
      const entries = setup.calls.table ?? [];
      const records = this.#own(new NativeMemory(Math.max(1, entries.length) * FuncRefRecord.size));
      instance.addTable(
        entries.map((entry, i) => {
          if (entry === null) return 0n;
          const at = i * FuncRefRecord.size;
          writeFuncRef(records.view, at, callee, entry.instance === 'this' ? instance.address : other.address, entry.typeId);
          return records.address + BigInt(at);
        }),
      );
    }
  }

  run(args: readonly (number | bigint)[]): ExecutionOutcome {
    this.#resetMemory();
    return this.#store.invoker.invoke(this.#instance.block, this.#code, this.#built.signature, args);
  }

  dispose(): void {
    for (const region of this.#regions) region.dispose();
    for (const owned of this.#owned) owned.dispose();
  }

  #place(code: BuiltCase['code']): bigint {
    const region = this.#store.codeSpace.place([code]);
    this.#regions.push(region);
    return region.addressOf(0);
  }

  #own<T extends { dispose(): void }>(owned: T): T {
    this.#owned.push(owned);
    return owned;
  }
}
