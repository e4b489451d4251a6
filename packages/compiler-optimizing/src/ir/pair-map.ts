// A map from pairs of small non-negative integers to int32 values, open addressing over typed
// arrays: the SSA builder's (variable, block) → value table. A JS `Map` keyed by a combined
// double boxes every key; this one allocates only when it grows, and `clear` is O(1) (a slot is
// in use when its stamp is the current generation), so a map grown by one huge function costs
// the small ones after it nothing.

export class PairMap {
  private stamp = new Int32Array(1024);
  private keyA = new Int32Array(1024);
  private keyB = new Int32Array(1024);
  private values = new Int32Array(1024);
  private mask = 1023;
  private count = 0;
  private generation = 1;

  clear(): void {
    if (this.count === 0) return;
    this.count = 0;
    if (++this.generation === 0x7fff_ffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
  }

  /** The value of (a, b), or `missing`. */
  get(a: number, b: number, missing: number): number {
    const mask = this.mask;
    const stamp = this.stamp;
    const generation = this.generation;
    for (let i = hash(a, b) & mask; ; i = (i + 1) & mask) {
      if (stamp[i] !== generation) return missing;
      if (this.keyA[i] === a && this.keyB[i] === b) return this.values[i]!;
    }
  }

  set(a: number, b: number, value: number): void {
    const mask = this.mask;
    const stamp = this.stamp;
    const generation = this.generation;
    for (let i = hash(a, b) & mask; ; i = (i + 1) & mask) {
      if (stamp[i] !== generation) {
        stamp[i] = generation;
        this.keyA[i] = a;
        this.keyB[i] = b;
        this.values[i] = value;
        if (++this.count * 2 > mask) this.grow();
        return;
      }
      if (this.keyA[i] === a && this.keyB[i] === b) {
        this.values[i] = value;
        return;
      }
    }
  }

  private grow(): void {
    const { stamp, keyA, keyB, values, generation } = this;
    const size = keyA.length * 2;
    this.stamp = new Int32Array(size);
    this.keyA = new Int32Array(size);
    this.keyB = new Int32Array(size);
    this.values = new Int32Array(size);
    this.mask = size - 1;
    this.count = 0;
    this.generation = 1;
    for (let i = 0; i < keyA.length; i++) if (stamp[i] === generation) this.set(keyA[i]!, keyB[i]!, values[i]!);
  }
}

function hash(a: number, b: number): number {
  const h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
  return (h ^ (h >>> 15)) >>> 0;
}
