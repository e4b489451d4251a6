// External values: what an instance exports and what imports resolve to.
// https://webassembly.github.io/spec/core/exec/runtime.html#external-values

import type { GlobalInstance } from './global.ts';
import type { MemoryInstance } from './memory.ts';
import type { FunctionHandle } from './store.ts';
import type { TableInstance } from './table.ts';

export type ExternValue =
  | { readonly kind: 'function'; readonly handle: FunctionHandle }
  | { readonly kind: 'table'; readonly table: TableInstance }
  | { readonly kind: 'memory'; readonly memory: MemoryInstance }
  | { readonly kind: 'global'; readonly global: GlobalInstance };
