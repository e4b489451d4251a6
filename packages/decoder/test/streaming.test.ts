// The streaming decoder: progress is reported as soon as each unit's bytes are complete, only
// the incomplete unit is buffered, and any chunking gives exactly the one-shot result.
import { describe, expect, it } from 'vitest';
import type { FunctionBody } from '../src/index.ts';
import { CompileError, SectionId, StreamingDecoder, ValType, decodeModule } from '../src/index.ts';
import { ModuleBuilder, op, uleb } from '../src/testing/index.ts';
import { loadBinaryModules } from './support/wast-corpus.ts';
import { Prng, randomChunks } from './support/prng.ts';
import { errorKey, oneShot, streamed } from './support/outcome.ts';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function threeFunctionModule(): Uint8Array {
  const b = new ModuleBuilder();
  const t = b.addType({ params: [ValType.I32], results: [ValType.I32] });
  b.addMemory({ min: 1 });
  for (let i = 0; i < 3; i++) b.addFunction(t, [ValType.I64], [...op('local.get', 0), ...op('i32.const', i), ...op('i32.add'), ...op('end')]);
  b.addData({ offset: op('i32.const', 0), bytes: [1, 2, 3] });
  b.addCustomSection('after', [7]);
  return b.toBytes();
}

describe('StreamingDecoder events', () => {
  it('reports each unit at the byte that completes it', () => {
    const bytes = threeFunctionModule();
    const events: string[] = [];
    let received = 0;
    const bodies: FunctionBody[] = [];
    const decoder = new StreamingDecoder({
      onHeader: (v) => events.push(`header v${v} @${received}`),
      onSection: (id) => events.push(`section ${id} @${received}`),
      onCodeSectionStart: (n) => events.push(`code start ${n} @${received}`),
      onFunctionBody: (body) => {
        bodies.push(body);
        events.push(`body ${body.funcIndex} @${received}`);
      },
    });
    for (let i = 0; i < bytes.length; i++) {
      received = i + 1;
      decoder.push(bytes.subarray(i, i + 1));
    }
    const module = decoder.finish();
    expect(module.codes).toEqual(bodies);
    // Each body is reported exactly when its last byte (the final `end`) arrives.
    for (const body of bodies) {
      const lastByte = body.code.offset + body.code.bytes.length;
      expect(events).toContain(`body ${body.funcIndex} @${lastByte}`);
    }
    expect(events[0]).toBe('header v1 @8');
    expect(events.filter((e) => e.startsWith('section')).map((e) => Number(e.split(' ')[1]))).toEqual([
      SectionId.Type,
      SectionId.Function,
      SectionId.Memory,
      SectionId.Code,
      SectionId.Data,
      SectionId.Custom,
    ]);
    const codeStart = events.findIndex((e) => e.startsWith('code start 3'));
    const firstBody = events.findIndex((e) => e.startsWith('body'));
    expect(codeStart).toBeGreaterThan(0);
    expect(codeStart).toBeLessThan(firstBody);
  });

  it('keeps units inside one chunk as views and copies only split ones', () => {
    const bytes = threeFunctionModule();
    const whole = new StreamingDecoder();
    whole.push(bytes);
    for (const body of whole.finish().codes) expect(body.code.bytes.buffer).toBe(bytes.buffer);

    const first = decodeModule(bytes).codes[0]!;
    const cut = first.code.offset + 1; // inside body 0
    const split = new StreamingDecoder();
    const left = bytes.slice(0, cut);
    const right = bytes.slice(cut);
    split.push(left);
    split.push(right);
    const codes = split.finish().codes;
    expect(codes[0]!.code.bytes.buffer).not.toBe(left.buffer);
    expect(codes[0]!.code.bytes.buffer).not.toBe(right.buffer);
    expect([...codes[0]!.code.bytes]).toEqual([...first.code.bytes]);
    expect(codes[1]!.code.bytes.buffer).toBe(right.buffer);
  });

  it('fails on push after a failure, and after abort', () => {
    const bad = new StreamingDecoder();
    expect(() => bad.push(Uint8Array.of(1, 2, 3, 4))).toThrow(/^magic header not detected/);
    expect(() => bad.push(Uint8Array.of(0))).toThrow(/^magic header not detected/);
    const aborted = new StreamingDecoder();
    aborted.push(Uint8Array.from(HEADER));
    aborted.abort();
    expect(() => aborted.finish()).toThrow(CompileError);
  });

  it('stops decoding when a listener throws, passing its exception through', () => {
    const boom = new Error('listener failed');
    const decoder = new StreamingDecoder({
      onHeader: () => {
        throw boom;
      },
    });
    expect(() => decoder.push(Uint8Array.from(HEADER))).toThrow(boom);
    expect(() => decoder.push(Uint8Array.of(0x00))).toThrow(/^decoding aborted/);
  });
});

describe('hostile sizes', () => {
  it('fails fast, without allocating, on tiny modules claiming huge counts', () => {
    const overLimit = Uint8Array.from([...HEADER, 0x03, 0x06, ...uleb(0xffffffff), 0x00]);
    expect(overLimit.length).toBeLessThanOrEqual(20);
    const underLimit = Uint8Array.from([...HEADER, 0x03, 0x04, ...uleb(999_999), 0x00]);
    const start = performance.now();
    expect(() => decodeModule(overLimit)).toThrow(/^too many functions/);
    // Under the limit, entries are read one by one and the section's end stops the loop.
    expect(() => decodeModule(underLimit)).toThrow(/^unexpected end of section or function/);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('fails on a code section claiming more bodies than declared before any body arrives', () => {
    const decoder = new StreamingDecoder();
    expect(() => decoder.push(Uint8Array.from([...HEADER, 0x0a, 0x7f, ...uleb(0xffffffff)]))).toThrow(/^function and code section have inconsistent lengths/);
  });

  it('waits for a huge declared section instead of allocating for it', () => {
    const decoder = new StreamingDecoder();
    decoder.push(Uint8Array.from([...HEADER, 0x01, ...uleb(0x7fffffff), 0x00]));
    expect(() => decoder.finish()).toThrow(/^length out of bounds/);
  });

  it('rejects a body larger than the function size limit from its size field alone', () => {
    const decoder = new StreamingDecoder();
    decoder.push(Uint8Array.from([...HEADER, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00]));
    expect(() => decoder.push(Uint8Array.from([0x0a, ...uleb(0x7ffffff0), 0x01, ...uleb(8_000_000)]))).toThrow(/^function body too large/);
  });
});

describe('chunking property', () => {
  const corpus = [...loadBinaryModules().map((m) => ({ where: m.where, bytes: m.bytes })), { where: 'builder fixture', bytes: threeFunctionModule() }];

  it(`gives the one-shot result for every chunking of ${corpus.length} modules`, () => {
    const prng = new Prng(0xf11e7);
    let modules = 0;
    let errors = 0;
    for (const { where, bytes } of corpus) {
      const expected = oneShot(bytes);
      if ('module' in expected) modules++;
      else errors++;
      for (let round = 0; round < 6; round++) {
        const actual = streamed(randomChunks(bytes, prng));
        if ('error' in expected) {
          expect('error' in actual ? errorKey(actual.error) : 'decoded', where).toEqual(errorKey(expected.error));
        } else {
          expect('module' in actual ? actual.module : errorKey(actual.error), where).toEqual(expected.module);
        }
      }
    }
    // The corpus exercises both outcomes.
    expect(modules).toBeGreaterThan(100);
    expect(errors).toBeGreaterThan(500);
  });
});
