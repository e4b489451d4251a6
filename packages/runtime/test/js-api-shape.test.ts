// The JS API's WebIDL shape and conversions, and tags and exceptions. The spec's own JS API tests
// (tests/js-api, run against the built package) cover this in breadth; these pin the helpers'
// rules where they are made, from sources.
import { ModuleBuilder } from '@flint/decoder/testing';
import { describe, expect, it } from 'vitest';
import { WebAssembly } from '../src/index.ts';
import { I32, buildModule, op } from './helpers/module-builder.ts';

const isX64 = process.arch === 'x64' && process.platform === 'linux';
const descriptor = (object: object, key: PropertyKey) => Object.getOwnPropertyDescriptor(object, key)!;

describe('WebIDL shape', () => {
  it('namespace: interfaces not enumerable, operations and JSTag enumerable, a toStringTag', () => {
    for (const name of ['Module', 'Instance', 'Memory', 'Table', 'Global', 'Tag', 'Exception', 'CompileError', 'LinkError', 'RuntimeError']) {
      expect(descriptor(WebAssembly, name), name).toMatchObject({ writable: true, enumerable: false, configurable: true });
    }
    expect(Object.keys(WebAssembly).sort()).toEqual(['JSTag', 'compile', 'compileStreaming', 'instantiate', 'instantiateStreaming', 'validate']);
    expect(descriptor(WebAssembly, Symbol.toStringTag)).toEqual({ value: 'WebAssembly', writable: false, enumerable: false, configurable: true });
    expect(WebAssembly.instantiate.length).toBe(1);
    expect(WebAssembly.instantiate.name).toBe('instantiate');
    expect(typeof descriptor(WebAssembly, 'JSTag').get).toBe('function');
  });

  it('interfaces: name and length, enumerable prototype members, getters on the prototype', () => {
    expect([WebAssembly.Module, WebAssembly.Global, WebAssembly.Table, WebAssembly.Exception].map((c) => [c.name, c.length])).toEqual([
      ['Module', 1],
      ['Global', 1],
      ['Table', 1],
      ['Exception', 2],
    ]);
    expect(descriptor(WebAssembly.Table.prototype, 'grow')).toMatchObject({ writable: true, enumerable: true, configurable: true });
    expect(WebAssembly.Table.prototype.set.length).toBe(1);
    const exports = descriptor(WebAssembly.Instance.prototype, 'exports');
    expect(exports).toMatchObject({ enumerable: true, configurable: true, set: undefined });
    expect(exports.get!.name).toBe('get exports');
    expect(descriptor(WebAssembly.Module, 'customSections')).toMatchObject({ enumerable: true });
    expect(Object.prototype.toString.call(WebAssembly.Memory.prototype)).toBe('[object WebAssembly.Memory]');
    expect(Object.getOwnPropertyDescriptor(WebAssembly.CompileError.prototype, Symbol.toStringTag)).toBeUndefined();
  });

  it('brand checks use the internal slot, not the prototype', () => {
    const fake = Object.create(WebAssembly.Global.prototype);
    expect(() => WebAssembly.Global.prototype.valueOf.call(fake)).toThrow(TypeError);
    expect(() => WebAssembly.Global.prototype.valueOf.call(true)).toThrow(TypeError);
    expect(() => descriptor(WebAssembly.Memory.prototype, 'buffer').get!.call({})).toThrow(TypeError);
    // The brand is checked before any argument is converted.
    const untouched = { valueOf: () => { throw new Error('converted'); } };
    expect(() => WebAssembly.Table.prototype.get.call({}, untouched as never)).toThrow(TypeError);
  });
});

describe('conversions', () => {
  it('reads descriptor members in the order of the constructor steps, converting each as it is read', () => {
    const order: string[] = [];
    const traced = (name: string, value: string | number) => ({ toString: () => (order.push(`${name} toString`), String(value)), valueOf: () => (order.push(`${name} valueOf`), value) });
    new WebAssembly.Table({
      get maximum() { return order.push('maximum'), traced('maximum', 2); },
      get initial() { return order.push('initial'), traced('initial', 1); },
      get element() { return order.push('element'), traced('element', 'anyfunc'); },
      get address() { return order.push('address'), traced('address', 'i32'); },
    } as never);
    expect(order).toEqual(['element', 'element toString', 'address', 'address toString', 'initial', 'initial valueOf', 'maximum', 'maximum valueOf']);
  });

  it('[EnforceRange] sizes, BigInt for i64 values and 64-bit addresses', () => {
    for (const initial of [-1, NaN, Infinity, 2 ** 32]) expect(() => new WebAssembly.Memory({ initial })).toThrow(TypeError);
    expect(() => new WebAssembly.Global({ value: 'i64' }, 5)).toThrow(TypeError);
    expect(() => new WebAssembly.Global({ value: 'i64' }, { valueOf: () => 5 })).toThrow(TypeError);
    expect(new WebAssembly.Global({ value: 'i64' }, { valueOf: () => 9n }).value).toBe(9n);
    expect(new WebAssembly.Global({ value: 'externref' }).value).toBeUndefined();
    const table = new WebAssembly.Table({ element: 'anyfunc', initial: 2n, maximum: 4n, address: 'i64' });
    expect(table.length).toBe(2n);
    expect(table.grow(1n)).toBe(2n);
    expect(() => table.get(-1n)).toThrow(TypeError);
    expect(() => table.get(3n)).toThrow(RangeError);
  });

  it('import objects: undefined only when there are no imports; an unbranded Global is a LinkError', () => {
    const empty = new WebAssembly.Module(buildModule({}));
    for (const bad of [null, true, '', 1]) expect(() => new WebAssembly.Instance(empty, bad as never)).toThrow(TypeError);
    const importing = new WebAssembly.Module(buildModule({ imports: [{ module: 'm', name: 'g', global: [I32, false] }] }));
    expect(() => new WebAssembly.Instance(importing)).toThrow(TypeError);
    expect(() => new WebAssembly.Instance(importing, { m: { g: Object.create(WebAssembly.Global.prototype) } })).toThrow(WebAssembly.LinkError);
  });

  it('a table is at most 10^7 elements (RangeError), as the JS API limits it', () => {
    expect(() => new WebAssembly.Table({ element: 'anyfunc', initial: 10_000_001 })).toThrow(RangeError);
    const table = new WebAssembly.Table({ element: 'anyfunc', initial: 1, maximum: 10_000_001 });
    expect(() => table.grow(10_000_000)).toThrow(RangeError);
  });
});

describe('tags and exceptions', () => {
  it('Tag and Exception from JS: is, getArg and their type checks', () => {
    const tag = new WebAssembly.Tag({ parameters: ['i32', 'i64'] });
    const other = new WebAssembly.Tag({ parameters: ['i32', 'i64'] });
    const exception = new WebAssembly.Exception(tag, [42, 7n]);
    expect(exception.is(tag)).toBe(true);
    expect(exception.is(other)).toBe(false);
    expect([exception.getArg(tag, 0), exception.getArg(tag, 1)]).toEqual([42, 7n]);
    expect(() => exception.getArg(other, 0)).toThrow(TypeError);
    expect(() => exception.getArg(tag, 2)).toThrow(RangeError);
    expect(() => new WebAssembly.Exception(tag, [1])).toThrow(TypeError);
    expect(() => new WebAssembly.Exception(tag, [1, 2])).toThrow(TypeError);
    expect(() => new WebAssembly.Exception(WebAssembly.JSTag, [{}])).toThrow(TypeError);
    expect(WebAssembly.JSTag).toBe(WebAssembly.JSTag);
    expect(exception.stack).toBeUndefined();
    expect(typeof new WebAssembly.Exception(tag, [1, 2n], { traceStack: true }).stack).toBe('string');
  });

  it.skipIf(!isX64)('a module imports and exports tags; import matching compares tag types', () => {
    const b = new ModuleBuilder();
    const type = b.addType({ params: [I32], results: [] });
    b.addImport('m', 'tag', { tag: type });
    const defined = b.addTag(type);
    b.addExport('imported', 4, 0);
    b.addExport('defined', 4, defined);
    const module = new WebAssembly.Module(b.toBytes());
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'm', name: 'tag', kind: 'tag' }]);
    const tag = new WebAssembly.Tag({ parameters: ['i32'] });
    const { exports } = new WebAssembly.Instance(module, { m: { tag } });
    expect(exports['imported']).toBe(tag);
    expect(exports['defined']).toBeInstanceOf(WebAssembly.Tag);
    expect(exports['defined']).not.toBe(tag);
    const again = new WebAssembly.Instance(module, { m: { tag: exports['defined'] } });
    expect(again.exports['imported']).toBe(exports['defined']);
    expect(() => new WebAssembly.Instance(module, { m: { tag: new WebAssembly.Tag({ parameters: ['i64'] }) } })).toThrow(WebAssembly.LinkError);
    expect(() => new WebAssembly.Instance(module, { m: { tag: {} } })).toThrow(WebAssembly.LinkError);
  });

  it('code that throws is not supported yet: a CompileError naming the feature', () => {
    const b = new ModuleBuilder();
    const type = b.addType({ params: [], results: [] });
    const tag = b.addTag(type);
    b.addFunction(type, [], [0x08, tag, op.end]);
    expect(WebAssembly.validate(b.toBytes())).toBe(false);
    expect(() => new WebAssembly.Module(b.toBytes())).toThrow(/^proposal not supported: exceptions/);
  });
});
