export { WASI } from './wasi.ts';
export type { WasiOptions, WasiOutput, WasiInstance, WasiFunction } from './wasi.ts';
export { WasiError } from './error.ts';
export { Errno } from './errno.ts';
export type { ErrnoValue } from './errno.ts';
export type { MemoryLike } from './memory.ts';
