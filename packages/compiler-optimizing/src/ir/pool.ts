// Growable int32 storage for the IR's variable-length lists (instruction arguments, block
// parameters, branch targets). A list is a `start`/`count` pair; appending to a list that is not
// the last one in the pool copies it to the end (wazevo's slices, Cranelift's entity lists), so
// lists can grow while the SSA builder adds block parameters and branch arguments.

export class IntPool {
  data: Int32Array;
  used = 0;

  constructor(capacity = 256) {
    this.data = new Int32Array(capacity);
  }

  reset(): void {
    this.used = 0;
  }

  /** Reserves `count` entries and returns the start of the new list. */
  alloc(count: number): number {
    const start = this.used;
    if (start + count > this.data.length) this.grow(start + count);
    this.used = start + count;
    return start;
  }

  push(value: number): void {
    if (this.used === this.data.length) this.grow(this.used + 1);
    this.data[this.used++] = value;
  }

  /** Appends `value` to the list at `start` (`count` long) and returns the list's (possibly new) start. */
  append(start: number, count: number, value: number): number {
    if (start + count === this.used || count === 0) {
      if (count === 0) start = this.used;
      this.push(value);
      return start;
    }
    const at = this.alloc(count + 1);
    this.data.copyWithin(at, start, start + count);
    this.data[at + count] = value;
    return at;
  }

  private grow(min: number): void {
    let n = this.data.length * 2;
    while (n < min) n *= 2;
    const next = new Int32Array(n);
    next.set(this.data.subarray(0, this.used));
    this.data = next;
  }
}

/** Returns `a` grown to at least `min` entries (doubling), keeping its contents. */
export function growInt32(a: Int32Array<ArrayBuffer>, min: number): Int32Array<ArrayBuffer> {
  if (a.length >= min) return a;
  let n = Math.max(16, a.length * 2);
  while (n < min) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

export function growUint8(a: Uint8Array<ArrayBuffer>, min: number): Uint8Array<ArrayBuffer> {
  if (a.length >= min) return a;
  let n = Math.max(16, a.length * 2);
  while (n < min) n *= 2;
  const b = new Uint8Array(n);
  b.set(a);
  return b;
}
