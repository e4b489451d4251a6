import { DEFAULT_TIER } from '@flint/runtime';
// `flint wast <file.wast>…`: runs spec scripts on Flint's runtime and prints a summary per
// assertion kind, each failure with its line and expected versus actual, and why commands
// were skipped; with several scripts, a total. Exit code 1 when any assertion failed.
import { readFileSync } from 'node:fs';
import { parseWast } from '@flint/text';
import { type Command, type CommandContext, EXIT_INVALID, UsageError, reportModuleError } from '../command.ts';
import { choice, parseOptions } from '../options.ts';
import { TIERS } from '../run/compile.ts';
import { WastRunner, type WastOutcome } from '../wast/runner.ts';

const REASONS_SHOWN = 10;

export const wastCommand: Command = {
  name: 'wast',
  summary: 'run spec test scripts (.wast) on Flint and summarise the assertions',
  usage: `flint wast [--tier ${TIERS.join('|')}] [--lazy] <file.wast>…`,
  run(ctx, args) {
    const options = parseOptions(args, { tier: 'value', lazy: 'flag' }, true);
    if (options.rest.length === 0) throw new UsageError('wast needs at least one script');
    const tier = choice(options, 'tier', TIERS, DEFAULT_TIER);
    const runner = { tier, lazy: options.flags.has('lazy') };
    let exitCode = 0;
    const totals = { files: 0, commands: 0, pass: 0, fail: 0, skip: 0 };
    for (const [i, file] of options.rest.entries()) {
      if (i > 0) ctx.out('');
      let outcomes: WastOutcome[];
      try {
        const script = parseWast(readFileSync(file, 'utf8'), file);
        outcomes = new WastRunner(runner).run(script);
      } catch (error) {
        exitCode = Math.max(exitCode, reportModuleError(ctx, file, error));
        continue;
      }
      const summary = summarise(ctx, file, outcomes);
      totals.files++;
      totals.commands += outcomes.length;
      totals.pass += summary.pass;
      totals.fail += summary.fail;
      totals.skip += summary.skip;
      if (summary.fail > 0) exitCode = Math.max(exitCode, EXIT_INVALID);
    }
    if (options.rest.length > 1) {
      const { bold, green, red } = ctx.style;
      ctx.out(
        `\n${bold('total')}: ${totals.files} of ${options.rest.length} scripts ran, ${totals.commands} commands: ` +
          `${green(`${totals.pass} passed`)}, ${totals.fail ? red(`${totals.fail} failed`) : '0 failed'}, ${totals.skip} skipped`,
      );
    }
    return exitCode;
  },
};

/** Prints one script's summary: per assertion kind, the failures, the skip reasons. */
function summarise(ctx: CommandContext, file: string, outcomes: readonly WastOutcome[]): { pass: number; fail: number; skip: number } {
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
  return { pass: count('pass'), fail: failed, skip: count('skip') };
}
