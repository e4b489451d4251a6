import { DEFAULT_TIER } from '@flint/runtime';
// `flint wast <file.wast>`: runs a spec script on Flint's runtime and prints a summary per
// assertion kind, each failure with its line and expected versus actual, and why commands
// were skipped. Exit code 1 when any assertion failed.
import { readFileSync } from 'node:fs';
import { parseWast } from '@flint/text';
import { type Command, EXIT_INVALID, UsageError, reportModuleError } from '../command.ts';
import { choice, parseOptions } from '../options.ts';
import { TIERS } from '../run/compile.ts';
import { WastRunner, type WastOutcome } from '../wast/runner.ts';

const REASONS_SHOWN = 10;

export const wastCommand: Command = {
  name: 'wast',
  summary: 'run a spec test script (.wast) on Flint and summarise the assertions',
  usage: `flint wast [--tier ${TIERS.join('|')}] [--lazy] <file.wast>`,
  run(ctx, args) {
    const options = parseOptions(args, { tier: 'value', lazy: 'flag' }, true);
    if (options.rest.length !== 1) throw new UsageError('wast takes exactly one script');
    const file = options.rest[0]!;
    const tier = choice(options, 'tier', TIERS, DEFAULT_TIER);
    let outcomes: WastOutcome[];
    try {
      const script = parseWast(readFileSync(file, 'utf8'), file);
      outcomes = new WastRunner({ tier, lazy: options.flags.has('lazy') }).run(script);
    } catch (error) {
      return reportModuleError(ctx, file, error);
    }

    const { bold, green, red, dim } = ctx.style;
    const count = (status: WastOutcome['status'], of: readonly WastOutcome[] = outcomes) => of.filter((o) => o.status === status).length;
    const failed = count('fail');
    ctx.out(`${bold(file)}: ${outcomes.length} commands: ${green(`${count('pass')} passed`)}, ${failed ? red(`${failed} failed`) : '0 failed'}, ${count('skip')} skipped`);
    const kinds = [...new Set(outcomes.map((o) => o.kind))];
    const width = Math.max(...kinds.map((k) => k.length));
    for (const kind of kinds) {
      const ofKind = outcomes.filter((o) => o.kind === kind);
      ctx.out(`  ${kind.padEnd(width)}  ${String(count('pass', ofKind)).padStart(6)} passed ${String(count('fail', ofKind)).padStart(6)} failed ${String(count('skip', ofKind)).padStart(6)} skipped`);
    }
    const failures = outcomes.filter((o) => o.status === 'fail');
    if (failures.length) {
      ctx.out(bold('\nfailures'));
      for (const failure of failures) ctx.out(`  ${file}:${failure.line}: ${failure.kind}: ${failure.message}`);
    }
    const reasons = new Map<string, number>();
    for (const o of outcomes) if (o.status === 'skip') reasons.set(o.message, (reasons.get(o.message) ?? 0) + 1);
    if (reasons.size) {
      ctx.out(bold('\nskipped'));
      const sorted = [...reasons].sort((a, b) => b[1] - a[1]);
      for (const [reason, n] of sorted.slice(0, REASONS_SHOWN)) ctx.out(`  ${String(n).padStart(6)}× ${reason}`);
      if (sorted.length > REASONS_SHOWN) ctx.out(dim(`  … and ${sorted.length - REASONS_SHOWN} more reasons`));
    }
    return failed ? EXIT_INVALID : 0;
  },
};
