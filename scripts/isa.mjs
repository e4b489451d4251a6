#!/usr/bin/env node
// The registered ISAs as data for shell scripts that run before any build (`.ci/run`): reads
// every `packages/codegen-*/isa.json`, so CI installs and sets up what each ISA needs without
// naming one.
//
//   node scripts/isa.mjs apt-packages    Debian packages this host needs: every ISA's
//                                        disassembler, and the emulators of ISAs it can emulate
//   node scripts/isa.mjs setup-scripts   the setup scripts of every ISA this host emulates, in order
//   node scripts/isa.mjs baseline-caps   VARIABLE=value per ISA this host runs natively whose CPU
//                                        features can be capped: the cap to the ISA's baseline
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every ISA descriptor with the folder of its package. */
export function readIsas(repoRoot = root) {
  const packages = join(repoRoot, 'packages');
  return readdirSync(packages)
    .filter((name) => name.startsWith('codegen-') && existsSync(join(packages, name, 'isa.json')))
    .sort()
    .map((name) => ({ dir: join(packages, name), isa: JSON.parse(readFileSync(join(packages, name, 'isa.json'), 'utf8')) }));
}

/** ISAs whose code this host runs under emulation. */
function emulated(isas) {
  return isas.filter(({ isa }) => isa.nodeArch !== process.arch && isa.emulator !== null && isa.emulator.hostArchs.includes(process.arch));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const isas = readIsas();
  switch (process.argv[2]) {
    case 'apt-packages': {
      const packages = new Set(isas.map(({ isa }) => isa.disassembler.aptPackage));
      for (const { isa } of emulated(isas)) for (const pkg of isa.emulator.aptPackages) packages.add(pkg);
      console.log([...packages].join('\n'));
      break;
    }
    case 'setup-scripts':
      for (const { dir, isa } of emulated(isas)) for (const script of isa.emulator.setupScripts) console.log(join(dir, script));
      break;
    case 'baseline-caps':
      for (const { isa } of isas) {
        if (isa.nodeArch === process.arch && isa.cpuFeatureCap) console.log(`${isa.cpuFeatureCap.variable}=${isa.cpuFeatureCap.baseline}`);
      }
      break;
    default:
      console.error('usage: node scripts/isa.mjs apt-packages|setup-scripts|baseline-caps');
      process.exit(2);
  }
}
