// A growable list of int32 records with amortised doubling: the storage behind labels, fix-ups,
// relocations and trap sites, so recording one allocates nothing once the list has grown.

export class IntList {
  private data: Int32Array;
  private used = 0;

  constructor(initialCapacity = 16) {
    this.data = new Int32Array(Math.max(4, initialCapacity));
  }

  get length(): number {
    return this.used;
  }

  push(value: number): void {
    if (this.used === this.data.length) this.grow(this.used + 1);
    this.data[this.used++] = value;
  }

  push3(a: number, b: number, c: number): void {
    if (this.used + 3 > this.data.length) this.grow(this.used + 3);
    const d = this.data;
    d[this.used] = a;
    d[this.used + 1] = b;
    d[this.used + 2] = c;
    this.used += 3;
  }

  get(index: number): number {
    return this.data[index]!;
  }

  set(index: number, value: number): void {
    this.data[index] = value;
  }

  clear(): void {
    this.used = 0;
  }

  /** Keeps the first `length` values. */
  truncate(length: number): void {
    if (length < this.used) this.used = length;
  }

  private grow(minimum: number): void {
    let capacity = this.data.length * 2;
    while (capacity < minimum) capacity *= 2;
    const next = new Int32Array(capacity);
    next.set(this.data.subarray(0, this.used));
    this.data = next;
  }
}
