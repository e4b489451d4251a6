// Module bytes at the API boundary. A caller's bytes are the caller's: the engine copies them
// exactly once, where they enter (compile, compileAsync, each chunk of compileStreaming,
// deserialize), into an ArrayBuffer of its own, and compiles, caches and lazily compiles from
// that copy only. It never transfers, detaches or keeps the caller's buffer, so mutating the
// input afterwards has no effect and the input stays usable.
//
// Note `Buffer#slice` (and `Buffer#subarray`) return views of the same memory, often of Node's
// shared pool: copying with `Uint8Array.prototype.slice` on the view's own range is the only
// safe way, and transferring a view's `.buffer` would detach the whole pool.

/** The bytes a BufferSource covers, as a view (no copy): ArrayBuffer, SharedArrayBuffer or any view. */
export function viewBufferSource(source: unknown, what = 'argument'): Uint8Array {
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (source instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer)) return new Uint8Array(source);
  throw new TypeError(`${what} must be an ArrayBuffer, a SharedArrayBuffer or a view of one (a typed array, DataView or Buffer)`);
}

/** A copy of exactly the bytes a BufferSource covers, in a fresh ArrayBuffer the engine owns. */
export function copyBufferSource(source: unknown, what = 'argument'): Uint8Array {
  const view = viewBufferSource(source, what);
  const copy = new Uint8Array(view.byteLength);
  copy.set(view);
  return copy;
}
