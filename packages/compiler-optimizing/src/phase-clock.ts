// Compile time per step, for `OptimizingStats.phaseMilliseconds`: each `lap` charges the time
// since the previous one to a step's name. Only created when the caller asked for stats.

export class PhaseClock {
  private last = performance.now();

  constructor(private readonly into: Record<string, number>) {}

  /** Charges the time since the last lap (or restart) to `name`. */
  lap(name: string): void {
    const now = performance.now();
    this.into[name] = (this.into[name] ?? 0) + (now - this.last);
    this.last = now;
  }

  /** Starts the next lap now, leaving the time since the last one uncharged (verification). */
  restart(): void {
    this.last = performance.now();
  }
}
