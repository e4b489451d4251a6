// `--stats`: the engine's compile statistics per tier (see the runtime's `Engine.compileStats`),
// printed to stderr after the command, so a program's own output stays clean.
import { type CompileStatistics, TIER_COUNTERS } from '@flint/runtime';
import type { CommandContext } from '../command.ts';

/** Counters shown only when they are not zero, with the words they are shown with. */
const OCCASIONAL = [
  ['lazyCompiles', 'compiled lazily'],
  ['cacheLoads', 'loaded from a code cache'],
  ['bailouts', 'bailed out'],
  ['fallbacks', 'taken over from a tier that bailed out'],
  ['tierUps', 'tier-ups'],
  ['osrEntries', 'OSR entries'],
  ['flushes', 'flushed'],
] as const;

/** The statistics as lines: a summary, then one line per tier that did anything. */
export function formatCompileStatistics(stats: CompileStatistics): string[] {
  const lines = [`compile statistics: ${stats.modules} module(s), ${stats.wallMilliseconds.toFixed(1)} ms wall time`];
  for (const [name, tier] of Object.entries(stats.tiers)) {
    if (TIER_COUNTERS.every((counter) => tier[counter] === 0)) continue;
    const parts = [`${tier.functions} functions`, `${tier.bodyBytes} bytes of Wasm → ${tier.codeBytes} bytes of code`, `${tier.milliseconds.toFixed(1)} ms`];
    // Bytes per millisecond are kB/s; divided by 1000, MB/s.
    if (tier.milliseconds > 0) parts.push(`${(tier.bodyBytes / tier.milliseconds / 1000).toFixed(2)} MB/s`);
    for (const [counter, words] of OCCASIONAL) if (tier[counter] > 0) parts.push(`${tier[counter]} ${words}`);
    lines.push(`  ${name}: ${parts.join(', ')}`);
  }
  return lines;
}

export function printCompileStatistics(ctx: CommandContext, stats: CompileStatistics): void {
  for (const line of formatCompileStatistics(stats)) ctx.err(ctx.errStyle.dim(line));
}
