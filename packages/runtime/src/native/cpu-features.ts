// The CPU features a thread's compiles may use: the backend's probe, run once per thread in the
// code space, limited by the user's cap (the environment variable its `isa.cpuFeatureCap` names).
// Whether a module's features can be compiled with them is part of feature truth (compile/features.ts). The backend owns every
// ISA-specific part (@flint/backend cpu-features.ts); this file only runs and applies it.

import koffi from 'koffi';
import { CpuFeatureSet, type Backend } from '@flint/backend';
import type { CodeSpace } from '../code/code-space.ts';
import { NativeMemory } from './native-memory.ts';

let probeProto: ReturnType<typeof koffi.proto> | undefined;

/** What the probe found, per backend; module state is per thread, so this is per thread. */
const detected = new Map<Backend, CpuFeatureSet>();

/** Runs `backend`'s probe (once per thread) and decodes what it reports. */
function probe(backend: Backend, space: CodeSpace): CpuFeatureSet {
  let features = detected.get(backend);
  if (features !== undefined) return features;
  const cpu = backend.cpuFeatures;
  const code = cpu.emitProbe();
  if (code === null) {
    features = CpuFeatureSet.NONE;
  } else {
    const out = new NativeMemory(cpu.probeWords * 8);
    const region = space.place([code]);
    try {
      probeProto ??= koffi.proto('void flint_cpu_probe(uint64_t out)');
      koffi.call(region.addressOf(0), probeProto as never, out.address);
      features = cpu.decodeProbe(new BigUint64Array(out.view.buffer, 0, cpu.probeWords).slice());
    } finally {
      region.dispose();
      out.dispose();
    }
  }
  detected.set(backend, features);
  return features;
}

/**
 * The features code compiled on this thread may use: what the CPU reports, capped by the
 * backend's environment variable when it is set in `env`. Throws the backend's
 * `CpuFeatureError` for a cap naming an unknown feature.
 */
export function detectCpuFeatures(backend: Backend, space: CodeSpace, env: NodeJS.ProcessEnv = process.env): CpuFeatureSet {
  const features = probe(backend, space);
  const variable = backend.isa.cpuFeatureCap?.variable;
  const cap = variable === undefined ? undefined : env[variable];
  return cap === undefined ? features : backend.cpuFeatures.applyCap(features, cap);
}
