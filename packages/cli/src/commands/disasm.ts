// `flint disasm <file>`: the machine code of each function for a tier and target, annotated
// with the Wasm offsets the code records. Compiling for another target needs no execution
// (the compilers are TypeScript), so any host can disassemble for every registered backend.
import { ExternKind, decodeModule } from '@flint/decoder';
import type { Module } from '@flint/decoder';
import { DEFAULT_TIER, type FunctionMachineCode, compileMachineCode } from '@flint/runtime';
import { type Command, UsageError } from '../command.ts';
import { loadModule } from '../load.ts';
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
    `flint disasm [--tier ${TIERS.join('|')}] [--target ${targets().join('|')}] [--function N|name] <file.wasm|file.wat>`,
    '',
    'Disassembles with binutils objdump when installed (the target’s cross objdump on other',
    'hosts), else prints hex. The target defaults to this machine’s.',
  ].join('\n'),
  run(ctx, args) {
    const options = parseOptions(args, { tier: 'value', target: 'value', function: 'value' }, true);
    if (options.rest.length !== 1) throw new UsageError('disasm takes exactly one file');
    const file = options.rest[0]!;
    const tier = choice(options, 'tier', TIERS, DEFAULT_TIER);
    const target = choice<Target>(options, 'target', targets(), hostTarget() ?? targets()[0]!);
    const isa = targetIsa(target);
    try {
      const { bytes } = loadModule(file);
      const module = decodeModule(bytes);
      const selected = options.values.get('function');
      const funcIndex = selected === undefined ? undefined : resolveFunction(module, selected);
      const functions = compileMachineCode(bytes, { tier, target, ...(funcIndex === undefined ? {} : { funcIndex }) });
      let tool = '';
      for (const fn of functions) {
        const disassembly = disassemble(fn.code, isa);
        tool = disassembly.tool;
        ctx.out(ctx.style.bold(`${functionTitle(fn)} (${target}, ${tier}, ${fn.code.length} bytes)`));
        for (const line of formatListing(fn, disassembly.instructions)) ctx.out(line);
        ctx.out('');
      }
      if (tool === 'hex') ctx.out(ctx.style.dim(`note: no objdump for ${target} found (Debian package ${isa.disassembler.aptPackage}): raw hex shown`));
      else if (tool !== '') ctx.out(ctx.style.dim(`disassembled with ${tool}`));
      return 0;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      return reportRunError(ctx, file, error);
    }
  },
};

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
