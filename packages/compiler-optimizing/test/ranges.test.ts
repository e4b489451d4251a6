// Value ranges on small IR functions: arithmetic, joins, and loop induction variables — the
// bounds that let bounds-check elimination drop checks — and the cases that must stay unknown
// because a value could wrap or a loop could run on.
import { describe, expect, it } from 'vitest';
import { Cfg } from '../src/analysis/cfg.ts';
import { ValueRanges } from '../src/analysis/ranges.ts';
import { parseFunction } from '../src/ir/parser.ts';

const FULL = 0xffff_ffff;

function maxima(text: string): (value: number) => number {
  const fn = parseFunction(text);
  const ranges = new ValueRanges();
  ranges.compute(fn, new Cfg());
  return (v) => ranges.max(v);
}

describe('value ranges', () => {
  it('follows arithmetic that cannot wrap, and gives up on what can', () => {
    const max = maxima(`function (i32) -> (i32) {
block0(v0:i32):
  v1:i32 = iconst 255
  v2:i32 = band v0, v1
  v3:i32 = iconst 4
  v4:i32 = ishl v2, v3
  v5:i32 = iconst 1000
  v6:i32 = iadd v4, v5
  v7:i32 = iconst 2
  v8:i32 = ushr v0, v7
  v9:i32 = iadd v0, v5
  v10:i32 = imul v2, v2
  return v6
}`);
    expect(max(2)).toBe(255);
    expect(max(4)).toBe(255 * 16);
    expect(max(6)).toBe(255 * 16 + 1000);
    expect(max(8)).toBe(FULL >>> 2);
    expect(max(9)).toBe(FULL); // v0 + 1000 may wrap
    expect(max(10)).toBe(255 * 255);
  });

  it('takes the union at joins', () => {
    const max = maxima(`function (i32) -> (i32) {
block0(v0:i32):
  v1:i32 = iconst 10
  v2:i32 = iconst 300
  brif v0, block1, block2
block1:
  jump block3(v1)
block2:
  jump block3(v2)
block3(v3:i32):
  return v3
}`);
    expect(max(3)).toBe(300);
  });

  it('bounds a counting loop and the induction variables that step with it', () => {
    // for (i = 0, p = 1024; i != 96; i++, p += 16) …
    const max = maxima(`function (i32) -> (i32) {
block0(v0:i32):
  v1:i32 = iconst 0
  v2:i32 = iconst 1024
  jump block1(v1, v2)
block1(v3:i32, v4:i32):
  v5:i32 = iconst 1
  v6:i32 = iadd v3, v5
  v7:i32 = iconst 16
  v8:i32 = iadd v4, v7
  v9:i32 = iconst 96
  v10:i32 = icmp ne v6, v9
  brif v10, block1(v6, v8), block2
block2:
  return v3
}`);
    expect(max(3)).toBe(95);
    expect(max(4)).toBe(1024 + 95 * 16);
    expect(max(8)).toBe(1024 + 96 * 16);
  });

  it('bounds a loop tested at the top (i < n with n known)', () => {
    const max = maxima(`function (i32) -> (i32) {
block0(v0:i32):
  v1:i32 = iconst 0
  v2:i32 = iconst 63
  v3:i32 = band v0, v2
  jump block1(v1)
block1(v4:i32):
  v5:i32 = icmp ult v4, v3
  brif v5, block2, block3
block2:
  v6:i32 = iconst 4
  v7:i32 = iadd v4, v6
  jump block1(v7)
block3:
  return v4
}`);
    // 0, 4, …, 60 pass v4 < v3 ≤ 63; 64 is the last value the header sees.
    expect(max(4)).toBe(64);
  });

  it('bounds a counter that counts up to zero through the wrap', () => {
    // for (i = -4096; i != 0; i += 8) a[i + 8192]
    const max = maxima(`function (i32) -> (i32) {
block0(v0:i32):
  v1:i32 = iconst -4096
  jump block1(v1)
block1(v2:i32):
  v3:i32 = iconst 8192
  v4:i32 = iadd v2, v3
  v5:i32 = iconst 8
  v6:i32 = iadd v2, v5
  brif v6, block1(v6), block2
block2:
  return v4
}`);
    expect(max(4)).toBe(8192 - 8);
  });

  it('knows nothing when the limit is unknown, the step could skip the limit, or the counter could wrap round', () => {
    const max = maxima(`function (i32) -> (i32) {
block0(v0:i32):
  v1:i32 = iconst 0
  jump block1(v1, v1, v1)
block1(v2:i32, v3:i32, v4:i32):
  v5:i32 = iconst 3
  v6:i32 = iadd v2, v5
  v7:i32 = icmp ult v6, v0
  v8:i32 = iconst 10
  v9:i32 = icmp ne v6, v8
  v10:i32 = band v7, v9
  brif v10, block1(v6, v3, v4), block2
block2:
  return v2
}`);
    // Neither test bounds v2 on its own: v0 is unknown, and 0, 3, 6, 9, 12, … never equals 10.
    expect(max(2)).toBe(FULL);
  });

  it('does not trust an unsigned test the counter can step over at 2^32', () => {
    // for (i = 0; i < 0xfffffff8; i += 16): i may pass 2^32 - 1, wrap and pass the test again.
    const max = maxima(`function (i32) -> (i32) {
block0(v0:i32):
  v1:i32 = iconst 0
  jump block1(v1)
block1(v2:i32):
  v3:i32 = iconst 16
  v4:i32 = iadd v2, v3
  v5:i32 = iconst -8
  v6:i32 = icmp ult v4, v5
  brif v6, block1(v4), block2
block2:
  return v2
}`);
    expect(max(2)).toBe(FULL);
  });
});
