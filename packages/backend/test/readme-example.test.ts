// The README's example, run as written, so the documentation cannot rot.
import { expect, it } from 'vitest';
import { CodeBuffer, type FixupPatcher } from '@flint/backend';

it('produces the bytes the README shows', () => {
  const patcher: FixupPatcher = (buf, _kind, at, target) => buf.patch32(at, target - (at + 4));
  const buf = new CodeBuffer({ patcher });
  const done = buf.newLabel();
  buf.emit8(0xe9);
  buf.addFixup(done, buf.length, 0);
  buf.emit32(0);
  buf.emit8(0x90);
  buf.bind(done);
  buf.emit8(0xc3);
  const { code } = buf.finish();
  expect(Array.from(code)).toEqual([0xe9, 0x01, 0x00, 0x00, 0x00, 0x90, 0xc3]);
});
