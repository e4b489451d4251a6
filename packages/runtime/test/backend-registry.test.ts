// The backend registry is the one place that knows the ISAs: a third ISA registered as one row
// (here a mock that reuses the host backend's code generator under a new name and architecture)
// is found by everything that derives from the registry, with nothing else changed.
import { describe, expect, it } from 'vitest';
import type { Backend } from '@flint/backend';
import { checkIsaDescriptor } from '@flint/backend/testing';
import { ValType } from '@flint/decoder';
import { ModuleBuilder } from '@flint/decoder/testing';
import { compileMachineCode, registerBackend, registeredBackends } from '../src/index.ts';
import { backendForHost, backendNamed } from '../src/native/backends.ts';

const host = registeredBackends()[0]!;
const mock: Backend = {
  ...host,
  name: 'mock',
  isa: { ...host.isa, name: 'mock', nodeArch: 'mock-arch', emulator: null },
};

describe('the backend registry', () => {
  it('finds every registered backend by name and by host architecture', () => {
    for (const backend of registeredBackends()) {
      expect(backendNamed(backend.name)).toBe(backend);
      expect(backendForHost(backend.isa.nodeArch)).toBe(backend);
      expect(checkIsaDescriptor(backend)).toEqual([]);
    }
    expect(() => backendForHost('no-such-arch')).toThrow(/no code generator for no-such-arch hosts/);
  });

  it('takes a third ISA as one row, and everything derived from it sees the new ISA', () => {
    registerBackend(mock);
    expect(registeredBackends().map((backend) => backend.name)).toContain('mock');
    expect(backendForHost('mock-arch')).toBe(mock);
    expect(checkIsaDescriptor(mock)).toEqual([]);
    // flint disasm --target mock: compiling for the new target needs no other change.
    const builder = new ModuleBuilder();
    const type = builder.addType({ params: [], results: [ValType.I32] });
    builder.addFunction(type, [], [0x41, 42, 0x0b]);
    const [fn] = compileMachineCode(builder.toBytes(), { target: 'mock' });
    expect(fn!.code.length).toBeGreaterThan(0);
    expect(() => registerBackend(mock)).toThrow(/already registered/);
  });
});
