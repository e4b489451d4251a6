// Timing helpers: warm up, then take the median of several runs. Medians resist the noise of
// a 2-core machine better than means.
export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly runs: number;
}

export function measure(run: () => void, options: { warmup?: number; runs?: number; minTimeMs?: number } = {}): Timing {
  const { warmup = 2, runs = 7, minTimeMs = 0 } = options;
  for (let i = 0; i < warmup; i++) run();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < runs || performance.now() - start < minTimeMs) {
    const t0 = performance.now();
    run();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[samples.length >> 1]!, minMs: samples[0]!, runs: samples.length };
}

export const mbPerSecond = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1e3);
