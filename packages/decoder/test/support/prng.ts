// Test-only: a small seeded PRNG (xorshift32) so random chunkings and mutations are reproducible.
export class Prng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  /** A uint32. */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }
}

/** Cuts `bytes` into consecutive chunks of random sizes (some empty, some single bytes). */
export function randomChunks(bytes: Uint8Array, prng: Prng): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const style = prng.below(4);
    const size = style === 0 ? 0 : style === 1 ? 1 : 1 + prng.below(style === 2 ? 8 : Math.max(1, bytes.length));
    chunks.push(bytes.subarray(at, Math.min(bytes.length, at + size)));
    at += size;
  }
  return chunks;
}
