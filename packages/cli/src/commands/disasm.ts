// `flint disasm <file>`: the machine code of each function for a tier and target, annotated
// with the Wasm offsets the code records. Compiling for another target needs no execution
// (the compilers are TypeScript), so any host can disassemble for every registered backend. A
// code cache's own machine code is shown as cached (its trap sites annotated; it keeps no
// operator offsets).
import { ExternKind, decodeModule } from '@flint/decoder';
import type { Module } from '@flint/decoder';
import { cachedMachineCode, CodeCacheError, compileMachineCode, DEFAULT_TIER, type FunctionMachineCode, isCodeCache, readCodeCache } from '@flint/runtime';
import { type Command, type CommandContext, UsageError } from '../command.ts';
import { loadModule, locatingErrors, readInputFile } from '../load.ts';
import { choice, parseOptions } from '../options.ts';
import { TIERS } from '../run/compile.ts';
import { reportRunError } from '../run/report.ts';
import { type Target, hostTarget, targetIsa, targets } from '../disasm/machine-code.ts';
import { formatListing } from '../disasm/listing.ts';
import { disassemble } from '../disasm/objdump.ts';

export const disasmCommand: Command = {
  name: 'disasm',
  summary: 'print the machine code of each function for a tier and target',
  usage: [
    `flint disasm [--tier ${TIERS.join('|')}] [--target ${targets().join('|')}] [--function N|name] <file.wasm|file.wat|file.flint>`,
    '',
    'Disassembles with binutils objdump when installed (the target’s cross objdump on other',
    'hosts), else prints hex. The target defaults to this machine’s. A code cache (.flint) is',
    'shown as cached, for the target and tier it was built for (--tier and --target do not apply).',
  ].join('\n'),
  run(ctx, args) {
    const options = parseOptions(args, { tier: 'value', target: 'value', function: 'value' }, true);
    if (options.rest.length !== 1) throw new UsageError('disasm takes exactly one file');
    const file = options.rest[0]!;
    const tier = choice(options, 'tier', TIERS, DEFAULT_TIER);
    const target = choice<Target>(options, 'target', targets(), hostTarget() ?? targets()[0]!);
    const selected = options.values.get('function');
    try {
      const raw = readInputFile(file);
      const fileBytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
      if (isCodeCache(fileBytes)) {
        if (options.values.has('tier') || options.values.has('target')) throw new UsageError('a code cache holds the code of one target and tier: --tier and --target do not apply');
        const moduleBytes = readCodeCache(fileBytes).moduleBytes;
        if (moduleBytes === null) throw new CodeCacheError('the code cache does not carry its module bytes (it was not written by flint compile)');
        const module = decodeModule(moduleBytes);
        const funcIndex = selected === undefined ? undefined : resolveFunction(module, selected);
        const cached = cachedMachineCode(fileBytes, moduleBytes, funcIndex);
        if (!targets().includes(cached.target)) throw new UsageError(`the code cache holds code for ${cached.target}, which this flint has no backend for`);
        printFunctions(ctx, cached.functions, cached.target, `${cached.tier}, cached by engine ${cached.engine}`);
        return 0;
      }
      const loaded = loadModule(file, raw);
      const bytes = loaded.bytes;
      const module = locatingErrors(loaded, () => decodeModule(bytes));
      const funcIndex = selected === undefined ? undefined : resolveFunction(module, selected);
      const functions = locatingErrors(loaded, () => compileMachineCode(bytes, { tier, target, ...(funcIndex === undefined ? {} : { funcIndex }) }));
      printFunctions(ctx, functions, target, tier);
      return 0;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      return reportRunError(ctx, file, error);
    }
  },
};

/** Each function's listing, disassembled for `target`, then which disassembler made them. */
function printFunctions(ctx: CommandContext, functions: readonly FunctionMachineCode[], target: Target, what: string): void {
  const isa = targetIsa(target);
  let tool = '';
  for (const fn of functions) {
    const disassembly = disassemble(fn.code, isa);
    tool = disassembly.tool;
    ctx.out(ctx.style.bold(`${functionTitle(fn)} (${target}, ${what}, ${fn.code.length} bytes)`));
    for (const line of formatListing(fn, disassembly.instructions)) ctx.out(line);
    ctx.out('');
  }
  if (tool === 'hex') ctx.out(ctx.style.dim(`note: no objdump for ${target} found (Debian package ${isa.disassembler.aptPackage}): raw hex shown`));
  else if (tool !== '') ctx.out(ctx.style.dim(`disassembled with ${tool}`));
}

/** `--function`: a function index, an export name or a name-section name; must be a defined function. */
function resolveFunction(module: Module, selector: string): number {
  let index: number | undefined;
  if (/^[0-9]+$/.test(selector)) index = Number(selector);
  else {
    index = module.exports.find((exp) => exp.kind === ExternKind.Func && exp.name === selector)?.index;
    if (index === undefined) for (const [i, name] of module.names?.functions ?? []) if (name === selector) index = i;
  }
  if (index === undefined) throw new UsageError(`--function ${selector}: no function with that export or debug name`);
  if (index < module.numImportedFunctions || index >= module.functions.length) {
    throw new UsageError(`--function ${selector}: function #${index} is not defined in the module (defined: #${module.numImportedFunctions}..#${module.functions.length - 1})`);
  }
  return index;
}

function functionTitle(fn: FunctionMachineCode): string {
  return fn.name === undefined ? `function #${fn.funcIndex}` : `function #${fn.funcIndex} "${fn.name}"`;
}
