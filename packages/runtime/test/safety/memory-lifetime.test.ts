// Memory lifetime (issue 10, items 2 and 6; ADR 0010): a buffer from `memory.buffer` keeps its
// bytes alive for as long as it is reachable, never reaches another memory, and growth — from
// JS or from Wasm — detaches it. The same tests run against the fallback backing with the host's
// memories switched off (memory-lifetime-reserved.test.ts), where growth cannot detach.
import { describe, expect, it } from 'vitest';
import { WebAssembly } from '../../src/index.ts';
import { collectGarbage } from '../helpers/gc.ts';
import { I32, buildModule, op, uleb } from '../helpers/module-builder.ts';

const onHost = process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64');
/** Whether growth detaches old buffers here (the host-memory backing); set by the reserved variant. */
const detaches = process.env['FLINT_HOST_MEMORY'] !== '0';

// (memory (export "m") 1) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
const memoryModule = buildModule({
  types: [[[I32], [I32]]],
  memory: [1],
  funcs: [{ type: 0, body: [op.localGet, ...uleb(0), ...op.memoryGrow], export: 'grow' }],
  exports: [{ name: 'm', kind: 2, index: 0 }],
});

/** A buffer whose memory (and instance) nobody references any more, filled with `marker`. */
function orphanedBuffer(marker: number, viaInstance: boolean): ArrayBuffer {
  const memory = viaInstance
    ? (new WebAssembly.Instance(new WebAssembly.Module(memoryModule), {}).exports['m'] as InstanceType<typeof WebAssembly.Memory>)
    : new WebAssembly.Memory({ initial: 1 });
  const buffer = memory.buffer as ArrayBuffer;
  new Uint8Array(buffer).fill(marker);
  return buffer;
}

describe.skipIf(!onHost)(`memory lifetime (${detaches ? 'host memories' : 'reserved fallback'})`, () => {
  for (const viaInstance of [false, true]) {
    it(`a buffer outlives its ${viaInstance ? 'instance (which only exported the memory)' : 'Memory'} and never aliases a later memory`, async () => {
      const old = orphanedBuffer(0xab, viaInstance);
      const later: ArrayBuffer[] = [];
      for (let round = 0; round < 4; round++) {
        await collectGarbage();
        // New memories would reuse a freed address: fill them with another marker.
        for (let i = 0; i < 16; i++) {
          const buffer = new WebAssembly.Memory({ initial: 1 }).buffer as ArrayBuffer;
          new Uint8Array(buffer).fill(0xcd);
          later.push(buffer);
        }
      }
      const bytes = new Uint8Array(old);
      expect(bytes.length).toBe(65536);
      expect(bytes.every((b) => b === 0xab)).toBe(true);
      bytes.fill(0x11); // writing the old buffer reaches no other memory
      for (const buffer of later) expect(new Uint8Array(buffer).every((b) => b === 0xcd)).toBe(true);
    });
  }

  it(`growing from JS ${detaches ? 'detaches' : 'keeps'} the old buffer, and the new one sees the grown memory`, () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    const old = memory.buffer;
    new Uint8Array(old)[5] = 42;
    expect(memory.grow(1)).toBe(1);
    expect(old.byteLength).toBe(detaches ? 0 : 65536);
    expect(memory.buffer).not.toBe(old);
    expect(memory.buffer.byteLength).toBe(2 * 65536);
    expect(new Uint8Array(memory.buffer)[5]).toBe(42);
  });

  it(`growing from Wasm ${detaches ? 'detaches' : 'keeps'} the old buffer (what wasm-bindgen's cached views rely on)`, () => {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(memoryModule), {});
    const memory = exports['m'] as InstanceType<typeof WebAssembly.Memory>;
    const old = memory.buffer;
    const view = new Uint8Array(old);
    expect((exports['grow'] as (n: number) => number)(2)).toBe(1);
    expect(old.byteLength).toBe(detaches ? 0 : 65536);
    expect(view.length).toBe(detaches ? 0 : 65536);
    expect(memory.buffer.byteLength).toBe(3 * 65536);
    new Uint8Array(memory.buffer)[3 * 65536 - 1] = 7; // the grown part is usable from JS
    expect((exports['grow'] as (n: number) => number)(0)).toBe(3);
  });
});
