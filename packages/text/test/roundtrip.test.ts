// Round trip over every module of the spec testsuite: the printer's text must parse back to
// the same module. For a text module, parse → encode → decode → print → parse → encode gives
// the first encoding again. A binary module may use encodings the text cannot choose (a
// non-minimal LEB, a redundant explicit form), so it is first brought to the encoder's form by
// one print → parse cycle, and the second cycle must then reproduce those bytes.
// Every module that does not round-trip is listed in KNOWN_MISMATCHES with its symptom and reason.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '@flint/decoder';
import { describe, expect, it } from 'vitest';
import { parseWast, parseWat, printModule } from '../src/index.ts';
import type { WastModule, WastScript } from '../src/index.ts';

const SUITE = process.env['FLINT_TESTSUITE'] ?? '/work/shared/spec-testsuite';

interface KnownMismatch {
  /** What the mismatch must look like (the first line of its report), so a new cause is not hidden. */
  readonly symptom: RegExp;
  readonly reason: string;
}

// The decoded Module keeps the meaning of a module, not every encoding choice; where the text
// parser encodes a text form differently from the equivalent form the printer writes, the bytes
// differ although both denote the same module.
const SINGLETON_REC: KnownMismatch = {
  symptom: /in the type section$/,
  reason:
    'a recursion group of one (or zero) types written explicitly as `(rec …)`: the parser encodes it as a group (0x4E), ' +
    'the Module records only recGroupStart/recGroupSize, so the printer writes a plain `(type …)` (the same type)',
};
const EXPLICIT_TABLE_ZERO: KnownMismatch = {
  symptom: /in the element section$/,
  reason:
    'an active segment on table 0 written with `(table 0)` or as `(table … (elem …))`: the parser encodes it with an explicit ' +
    'table index (encoding 2 or 6), the Module does not record the encoding, and the printer omits `(table 0)` (encoding 0 or 4)',
};
const DEFAULT_PAGE_SIZE: KnownMismatch = {
  symptom: /in the (memory|import) section$/,
  reason:
    'a memory declaring the default `(pagesize 65536)`: the parser encodes the page size (flag 0x08), the Module records ' +
    'pageSizeLog2 = 16 either way, and the printer omits the default',
};
const DESCRIPTOR_CLAUSES: KnownMismatch = {
  symptom: /^printed text does not parse: WatSyntaxError: /,
  reason: 'custom-descriptors `(describes …)` / `(descriptor …)` type clauses: not yet accepted by the WAT parser',
};
const DESCRIPTOR_OPERATORS: KnownMismatch = {
  symptom: /^print failed: CompileError: illegal opcode fb 22/,
  reason: 'custom-descriptors operators (0xFB 0x22 ref.get_desc, …): not yet in the opcode table, so the operator loop rejects the body',
};

const known = (mismatch: KnownMismatch, modules: readonly string[]): [string, KnownMismatch][] =>
  modules.flatMap((module) => [
    [`${module} [flat]`, mismatch],
    [`${module} [folded]`, mismatch],
  ]);

/**
 * `file:line [layout]` → why that module does not round-trip. The test fails when the list and
 * the actual mismatches differ in either direction, or when a mismatch does not show its symptom.
 */
const KNOWN_MISMATCHES: ReadonlyMap<string, KnownMismatch> = new Map([
  ...known(SINGLETON_REC, [
    'type-equivalence.wast:30', 'type-equivalence.wast:136', 'type-equivalence.wast:233', 'type-equivalence.wast:238',
    'type-rec.wast:3', 'type-rec.wast:45', 'type-rec.wast:185', 'type-rec.wast:197',
    'type-rec.wast:156', 'type-subtyping.wast:37', 'type-subtyping.wast:43', 'type-subtyping.wast:283', 'type-subtyping.wast:540',
    'type-subtyping.wast:551', 'type-subtyping.wast:564', 'type-subtyping.wast:574', 'type-subtyping.wast:584',
  ]),
  ...known(EXPLICIT_TABLE_ZERO, [
    'block.wast:3', 'br.wast:3', 'br_if.wast:3', 'br_table.wast:3', 'call.wast:3', 'call_indirect.wast:3', 'call_indirect.wast:623',
    'call_indirect64.wast:3', 'elem.wast:80', 'func.wast:488', 'func_ptrs.wast:51', 'func_ptrs.wast:93', 'global.wast:3', 'if.wast:3',
    'imports.wast:35', 'left-to-right.wast:1', 'legacy/try_catch.wast:10', 'legacy/try_delegate.wast:3', 'linking.wast:284',
    'load.wast:3', 'load2.wast:1', 'load64.wast:3', 'local_tee.wast:3', 'loop.wast:3', 'nop.wast:3', 'proposals/threads/imports.wast:24',
    'return.wast:3', 'return_call_indirect.wast:3', 'select.wast:1', 'simd_const.wast:890', 'try_table.wast:10',
    'type-equivalence.wast:89', 'type-equivalence.wast:107', 'type-equivalence.wast:161', 'type-rec.wast:167', 'type-rec.wast:176',
    'type-subtyping.wast:344', 'unreachable.wast:3',
  ]),
  ...known(DEFAULT_PAGE_SIZE, [
    'proposals/custom-page-sizes/custom-page-sizes-invalid.wast:97', 'proposals/custom-page-sizes/custom-page-sizes-invalid.wast:103',
    'proposals/custom-page-sizes/custom-page-sizes.wast:3',
    'proposals/custom-page-sizes/custom-page-sizes.wast:7', 'proposals/custom-page-sizes/custom-page-sizes.wast:46',
    'proposals/custom-page-sizes/custom-page-sizes.wast:60', 'proposals/custom-page-sizes/custom-page-sizes.wast:96',
    'proposals/custom-page-sizes/custom-page-sizes.wast:106', 'proposals/custom-page-sizes/memory_max.wast:12',
    'proposals/custom-page-sizes/memory_max.wast:17', 'proposals/custom-page-sizes/memory_max_i64.wast:13',
    'proposals/custom-page-sizes/memory_max_i64.wast:18',
  ]),
  ...known(DESCRIPTOR_CLAUSES, ['proposals/custom-descriptors/binary-descriptors.wast:2', 'proposals/custom-descriptors/binary-descriptors.wast:66']),
  ...known(DESCRIPTOR_OPERATORS, ['proposals/custom-descriptors/ref_get_desc.wast:253']),
]);

function wastFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) out.push(...wastFiles(join(dir, entry.name), relative + '/'));
    else if (entry.name.endsWith('.wast')) out.push(relative);
  }
  return out.sort();
}

const describeError = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'data count', 'tag'];

/** The name of the section of a (valid) binary module that holds byte `offset`. */
function sectionAt(bytes: Uint8Array, offset: number): string {
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at++]!;
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++]!;
      size += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    if (offset < at + size) return `${SECTION_NAMES[id] ?? `id ${id}`} section`;
    at += size;
  }
  return 'the end';
}

function firstDifference(a: Uint8Array, b: Uint8Array): string | null {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return `bytes differ at offset ${i} in the ${sectionAt(a, i)}`;
  return a.length === b.length ? null : `lengths differ (${a.length} vs ${b.length})`;
}

/** Null when the module round-trips, else the reason. */
function roundTrip(bytes: Uint8Array, binary: boolean, folded: boolean): string | null {
  let reference = bytes;
  let text = '';
  for (let cycle = 0; cycle < (binary ? 2 : 1); cycle++) {
    try {
      text = printModule(decodeModule(reference), { folded });
    } catch (error) {
      return `print failed: ${describeError(error)}`;
    }
    let reparsed: Uint8Array;
    try {
      reparsed = parseWat(text);
    } catch (error) {
      return `printed text does not parse: ${describeError(error)}`;
    }
    if (binary && cycle === 0) {
      reference = reparsed;
      continue;
    }
    const difference = firstDifference(reference, reparsed);
    return difference === null ? null : `${difference}\n${text}`;
  }
  return null;
}

interface LoadedScripts {
  readonly scripts: [file: string, script: WastScript][];
  readonly failures: string[];
}
let loaded: LoadedScripts | null = null;

/** Every script of the suite, parsed once for both tests. */
function loadScripts(): LoadedScripts {
  if (loaded !== null) return loaded;
  const scripts: [string, WastScript][] = [];
  const failures: string[] = [];
  for (const file of wastFiles(SUITE)) {
    try {
      scripts.push([file, parseWast(readFileSync(join(SUITE, file), 'utf8'), file)]);
    } catch (error) {
      failures.push(`${file}: ${describeError(error)}`);
    }
  }
  loaded = { scripts, failures };
  return loaded;
}

describe('round trip of every testsuite module', () => {
  // Skipped only where the testsuite is not checked out (point FLINT_TESTSUITE at it).
  it.skipIf(!existsSync(SUITE))('prints every decodable module to text that parses back to the same bytes, flat and folded', () => {
    const mismatches = new Map<string, string>();
    const { scripts, failures: scriptFailures } = loadScripts();
    let modules = 0;
    let binaryModules = 0;
    const undecodable: string[] = [];
    let roundTripped = 0;
    for (const [file, script] of scripts) {
      for (const command of script.commands) {
        // Modules that must be valid: `module`, and those that fail only at link or instantiation time.
        let module: WastModule;
        if (command.type === 'module') module = command;
        else if (command.type === 'assert_unlinkable' || command.type === 'assert_uninstantiable' || command.type === 'assert_trap_module') {
          module = command.module;
        } else continue;
        let bytes = module.bytes;
        if (module.kind === 'quote') {
          try {
            bytes = parseWat(module.source ?? '');
          } catch {
            continue; // a quoted module that does not parse is not a module of the suite
          }
        }
        if (bytes === undefined) continue; // a text module the script parser could not encode
        try {
          decodeModule(bytes);
        } catch (error) {
          undecodable.push(`${file}:${command.line} (${module.kind}): ${describeError(error)}`);
          continue;
        }
        modules++;
        if (module.kind === 'binary') binaryModules++;
        for (const folded of [false, true]) {
          const reason = roundTrip(bytes, module.kind === 'binary', folded);
          if (reason === null) roundTripped++;
          else mismatches.set(`${file}:${command.line} [${folded ? 'folded' : 'flat'}]`, reason);
        }
      }
    }
    console.log(
      `round trip: ${modules} decodable modules (${binaryModules} binary; ${undecodable.length} more not decodable), ${roundTripped} of ${modules * 2} ` +
        `flat+folded prints round-trip; ${mismatches.size} mismatches; ${scriptFailures.length} scripts did not parse`,
    );
    for (const failure of scriptFailures) console.log(`  script does not parse: ${failure}`);
    for (const module of undecodable) console.log(`  not decodable: ${module}`);
    const unexpected = [...mismatches].filter(([key, reason]) => !KNOWN_MISMATCHES.get(key)?.symptom.test(reason.split('\n')[0]!));
    for (const [key, reason] of unexpected.slice(0, 5)) console.log(`MISMATCH ${key}: ${reason.slice(0, 3000)}`);
    expect(unexpected.map(([key, reason]) => `${key}: ${reason.split('\n')[0]}`)).toEqual([]);
    expect([...KNOWN_MISMATCHES.keys()].filter((key) => !mismatches.has(key))).toEqual([]);
  });

  // Skipped only where the testsuite is not checked out (point FLINT_TESTSUITE at it).
  it.skipIf(!existsSync(SUITE))('prints every decodable invalid or malformed module without crashing, as text that parses', () => {
    let printed = 0;
    const problems: string[] = [];
    for (const [file, script] of loadScripts().scripts) {
      for (const command of script.commands) {
        if (command.type !== 'assert_invalid' && command.type !== 'assert_malformed') continue;
        let bytes = command.module.bytes;
        if (command.module.kind === 'quote') {
          try {
            bytes = parseWat(command.module.source ?? '');
          } catch {
            continue; // malformed text: no module to print
          }
        }
        if (bytes === undefined) continue;
        let module;
        try {
          module = decodeModule(bytes);
        } catch {
          continue; // malformed binary: no module to print
        }
        for (const folded of [false, true]) {
          let text: string;
          try {
            text = printModule(module, { folded });
          } catch (error) {
            // An operator the loop rejects inside a body is the decoder's typed error; anything else is a crash.
            if (!(error instanceof Error && error.name === 'CompileError')) problems.push(`${file}:${command.line}: crash: ${describeError(error)}`);
            continue;
          }
          try {
            parseWat(text);
            printed++;
          } catch (error) {
            problems.push(`${file}:${command.line}: printed text does not parse: ${describeError(error)}`);
          }
        }
      }
    }
    console.log(`invalid or malformed but decodable modules: ${printed} prints parse back`);
    expect(problems).toEqual([]);
    expect(printed).toBeGreaterThan(0);
  });
});
