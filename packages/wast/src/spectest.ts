// The `spectest` module every script may import from: print functions that print nothing, the
// globals of value 666, a table, a 64-bit-indexed table and a memory.
// https://github.com/WebAssembly/spec/tree/main/interpreter#spectest-host-module
import { WebAssembly } from '@flint/runtime';

export type Exports = Record<string, unknown>;

/** A fresh `spectest` instance (each runner has its own, as each script run by the reference interpreter does). */
export function spectest(): Exports {
  const print = (): void => {};
  return {
    print,
    print_i32: print,
    print_i64: print,
    print_f32: print,
    print_f64: print,
    print_i32_f32: print,
    print_f64_f64: print,
    global_i32: 666,
    global_i64: 666n,
    global_f32: 666.6,
    global_f64: 666.6,
    table: new WebAssembly.Table({ element: 'anyfunc', initial: 10, maximum: 20 }),
    table64: new WebAssembly.Table({ element: 'anyfunc', initial: 10n, maximum: 20n, address: 'i64' }),
    memory: new WebAssembly.Memory({ initial: 1, maximum: 2 }),
    shared_memory: new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true }),
  };
}
