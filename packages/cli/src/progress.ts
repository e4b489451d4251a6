// A progress line for compiling large modules, drawn on stderr only when it is a terminal (so
// pipes, files and tests never see control characters). It is redrawn at most every
// REDRAW_MS and erased when compilation ends, whatever the outcome.
import type { CommandContext } from './command.ts';

/** Modules with less code than this compile too fast for a progress line to be worth drawing. */
export const PROGRESS_MIN_CODE_BYTES = 256 * 1024;
const BAR_WIDTH = 30;
const REDRAW_MS = 50;

export interface Progress {
  /** `done` of `total` units (functions) finished. */
  update(done: number, total: number): void;
  finish(): void;
}

const SILENT: Progress = { update() {}, finish() {} };

/** The text of one progress line (without control characters). */
export function progressLine(label: string, done: number, total: number): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  const percent = String(Math.floor(fraction * 100)).padStart(3);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${percent}% ${done}/${total}`;
}

export function startProgress(ctx: CommandContext, label: string, codeBytes: number, total: number): Progress {
  if (!ctx.errIsTTY || codeBytes < PROGRESS_MIN_CODE_BYTES) return SILENT;
  let lastDraw = 0;
  const draw = (done: number, all: number): void => ctx.errWrite(`\r\x1b[K${ctx.errStyle.dim(progressLine(label, done, all))}`);
  draw(0, total);
  return {
    update(done, all) {
      const now = Date.now();
      if (now - lastDraw < REDRAW_MS && done < all) return;
      lastDraw = now;
      draw(done, all);
    },
    finish() {
      ctx.errWrite('\r\x1b[K');
    },
  };
}
