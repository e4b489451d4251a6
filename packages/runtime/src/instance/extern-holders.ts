// The places where externref handles can live natively, for the extern table's sweep (see
// `ExternTable` in store.ts): tables, globals and instances' element segments of a reference type
// that is not a function reference. They register themselves when made; the registry holds them
// weakly. It is per thread, like the store: a thread with several stores scans the holders of all
// of them, which can only keep more values alive, never fewer.

import { HeapType, heapTypeOf, isConcreteHeap, isRefType, type ValType } from '@flint/decoder';

/** Native storage that may hold externref handles. */
export interface ExternHolder {
  forEachExternHandle(visit: (handle: bigint) => void): void;
}

const holders = new Set<WeakRef<ExternHolder>>();
const registry = new FinalizationRegistry<WeakRef<ExternHolder>>((ref) => holders.delete(ref));

/** Whether values of `type` may be externref handles (a reference type other than a function reference). */
export function holdsExternHandles(type: ValType): boolean {
  if (!isRefType(type)) return false;
  const heap = heapTypeOf(type);
  return heap !== HeapType.Func && heap !== HeapType.NoFunc && !isConcreteHeap(heap);
}

export function registerExternHolder(holder: ExternHolder): void {
  const ref = new WeakRef(holder);
  holders.add(ref);
  registry.register(holder, ref);
}

/** Every live holder. */
export function* externHolders(): Generator<ExternHolder> {
  for (const ref of holders) {
    const holder = ref.deref();
    if (holder !== undefined) yield holder;
  }
}
