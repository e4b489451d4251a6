// Terminal styling: colours only when the stream is a TTY and NO_COLOR is unset.
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
}

const wrap = (on: string, off: string) => (s: string) => `\x1b[${on}m${s}\x1b[${off}m`;
const plain = (s: string) => s;

export function styleFor(stream: { isTTY?: boolean }): Style {
  const colour = Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.FORCE_COLOR !== '0';
  return colour
    ? { bold: wrap('1', '22'), dim: wrap('2', '22'), red: wrap('31', '39'), green: wrap('32', '39') }
    : { bold: plain, dim: plain, red: plain, green: plain };
}
