// Structural conformance checks every backend must pass: its register and ABI descriptions are
// consistent, and its MacroAssembler's labels resolve through the shared code buffer. Each check
// returns a list of problems (empty = conforming) so a test can print them all at once.

import type { Backend } from '../backend.ts';
import type { CallingConvention } from '../abi.ts';
import { CpuFeatureSet } from '../cpu-features.ts';
import { OperandSize } from '../masm.ts';
import { checkMacroAssemblerReset } from './cases/reset.ts';
import { RegClass, forEachReg, hwEncodingOf, regClassOf, type MachineRegisters, type Reg, type RegClassDescription } from '../regs.ts';

export function checkMachineRegisters(regs: MachineRegisters): string[] {
  const problems: string[] = [];
  checkClass(regs.int, RegClass.Int, 'int', problems);
  checkClass(regs.float, RegClass.Float, 'float', problems);
  const excludedInt = new Set(regs.int.excluded.map((e) => e.reg));
  const excludedFloat = new Set(regs.float.excluded.map((e) => e.reg));
  const mustBeExcluded: [string, Reg, Set<Reg>][] = [
    ['stack pointer', regs.stackPointer, excludedInt],
    ['frame pointer', regs.framePointer, excludedInt],
    ['VM-context register', regs.vmContext, excludedInt],
    ['int scratch', regs.scratch.int, excludedInt],
    ['float scratch', regs.scratch.float, excludedFloat],
  ];
  for (const [role, reg, excluded] of mustBeExcluded) {
    if (!excluded.has(reg)) problems.push(`${role} (reg ${reg}) must be listed as excluded, with its reason`);
  }
  if (regClassOf(regs.scratch.float) !== RegClass.Float) problems.push('float scratch is not a float register');
  return problems;
}

function checkClass(d: RegClassDescription, cls: RegClass, label: string, problems: string[]): void {
  if (d.cls !== cls) problems.push(`${label} class description has class ${d.cls}`);
  if (d.names.length !== d.count) problems.push(`${label}: ${d.names.length} names for ${d.count} registers`);
  const seen = new Map<number, string>();
  const note = (reg: Reg, where: string) => {
    if (regClassOf(reg) !== cls) problems.push(`${label}: ${where} register ${reg} belongs to another class`);
    const hw = hwEncodingOf(reg);
    if (hw >= d.count) problems.push(`${label}: ${where} register ${reg} is outside 0..${d.count - 1}`);
    const previous = seen.get(hw);
    if (previous !== undefined) problems.push(`${label}: ${d.names[hw] ?? hw} is both ${previous} and ${where}`);
    seen.set(hw, where);
  };
  for (const reg of d.allocatable) note(reg, 'allocatable');
  for (const { reg, reason } of d.excluded) {
    note(reg, 'excluded');
    if (reason.trim().length === 0) problems.push(`${label}: excluded ${d.names[hwEncodingOf(reg)] ?? reg} has no reason`);
  }
  for (let hw = 0; hw < d.count; hw++) {
    if (!seen.has(hw)) problems.push(`${label}: ${d.names[hw] ?? hw} is neither allocatable nor excluded with a reason`);
  }
}

export function checkCallingConvention(cc: CallingConvention, regs: MachineRegisters): string[] {
  const problems: string[] = [];
  const inClass = (list: readonly Reg[], cls: RegClass, what: string, d: RegClassDescription) => {
    const unique = new Set(list);
    if (unique.size !== list.length) problems.push(`${cc.name}: ${what} lists a register twice`);
    for (const reg of list) {
      if (regClassOf(reg) !== cls || hwEncodingOf(reg) >= d.count) problems.push(`${cc.name}: ${what} register ${reg} is not ${d === regs.int ? 'an int' : 'a float'} register`);
      if (reg === regs.vmContext || reg === regs.stackPointer) problems.push(`${cc.name}: ${what} uses a reserved register ${reg}`);
    }
  };
  inClass(cc.intArgs, RegClass.Int, 'int argument', regs.int);
  inClass(cc.intResults, RegClass.Int, 'int result', regs.int);
  inClass(cc.floatArgs, RegClass.Float, 'float argument', regs.float);
  inClass(cc.floatResults, RegClass.Float, 'float result', regs.float);
  forEachReg(cc.calleeSavedInt, RegClass.Int, (reg) => {
    if (hwEncodingOf(reg) >= regs.int.count) problems.push(`${cc.name}: callee-saved int ${reg} does not exist`);
  });
  forEachReg(cc.calleeSavedFloat, RegClass.Float, (reg) => {
    if (hwEncodingOf(reg) >= regs.float.count) problems.push(`${cc.name}: callee-saved float ${reg} does not exist`);
  });
  if (!(cc.stackAlignment >= 8 && (cc.stackAlignment & (cc.stackAlignment - 1)) === 0)) {
    problems.push(`${cc.name}: stack alignment ${cc.stackAlignment} is not a power of two ≥ 8`);
  }
  if (cc.intArgs.length === 0 || cc.intResults.length === 0) problems.push(`${cc.name}: needs integer argument and result registers`);
  return problems;
}

/**
 * Forward and backward branches through the backend's MacroAssembler resolve when finished, and
 * a branch to a label that is never bound is reported by `finish` rather than emitted as garbage.
 */
export function checkLabelResolution(backend: Backend): string[] {
  const problems: string[] = [];
  const masm = backend.createMacroAssembler();
  const r = backend.callingConvention.intArgs[0]!;
  const top = masm.newLabel();
  const done = masm.newLabel();
  masm.bind(top);
  masm.branchOnZero(r, OperandSize.S32, done);
  masm.jump(top);
  masm.bind(done);
  try {
    const finished = masm.finish();
    if (finished.code.length === 0) problems.push('finish() returned no code for a loop');
  } catch (error) {
    problems.push(`finish() failed on resolved labels: ${String(error)}`);
  }
  const broken = backend.createMacroAssembler();
  broken.jump(broken.newLabel());
  try {
    broken.finish();
    problems.push('finish() accepted a jump to a label that was never bound');
  } catch {
    // Expected: the code buffer reports the unbound label.
  }
  return problems;
}

/** Every structural check for `backend`. */
export function checkBackendStructure(backend: Backend): string[] {
  return [
    ...checkMachineRegisters(backend.registers),
    ...checkCallingConvention(backend.callingConvention, backend.registers),
    ...checkCallingConvention(backend.hostCallingConvention, backend.registers),
    ...checkLabelResolution(backend),
    ...checkMacroAssemblerReset(backend),
    ...checkIsaDescriptor(backend),
  ];
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isTextList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isText);

/**
 * The backend's ISA descriptor is complete and names the backend (it is read as untyped JSON by
 * scripts, so its shape is checked here rather than trusted).
 */
export function checkIsaDescriptor(backend: Backend): string[] {
  const problems: string[] = [];
  const isa = backend.isa as unknown as Record<string, unknown> | undefined;
  if (isa === undefined || isa === null || typeof isa !== 'object') return ['backend has no isa descriptor'];
  if (isa['name'] !== backend.name) problems.push(`isa.name ${String(isa['name'])} differs from the backend's name ${backend.name}`);
  if (!isText(isa['nodeArch'])) problems.push('isa.nodeArch must name a process.arch value');
  if (isa['instructionCache'] !== 'coherent' && isa['instructionCache'] !== 'clear-cache') problems.push(`isa.instructionCache must be 'coherent' or 'clear-cache', not ${String(isa['instructionCache'])}`);
  const disassembler = isa['disassembler'] as Record<string, unknown> | undefined;
  if (disassembler === undefined || !isTextList(disassembler['programs']) || disassembler['programs'].length === 0 || !isTextList(disassembler['args']) || !isText(disassembler['aptPackage']) || (disassembler['hexListing'] !== 'bytes' && disassembler['hexListing'] !== 'words32')) {
    problems.push('isa.disassembler needs programs, args, aptPackage and hexListing (bytes | words32)');
  }
  const emulator = isa['emulator'] as Record<string, unknown> | null | undefined;
  if (emulator === undefined) problems.push('isa.emulator must be an emulator description or null');
  else if (emulator !== null) {
    for (const key of ['command', 'cacheEnv', 'sysroot', 'koffiModules']) if (!isText(emulator[key])) problems.push(`isa.emulator.${key} must be a non-empty string`);
    for (const key of ['aptPackages', 'hostArchs', 'setupScripts']) if (!isTextList(emulator[key])) problems.push(`isa.emulator.${key} must be a list of strings`);
  }
  const cap = isa['cpuFeatureCap'] as Record<string, unknown> | null | undefined;
  if (cap === undefined) problems.push('isa.cpuFeatureCap must be a cap description or null');
  else if (cap !== null) {
    if (!isText(cap['variable']) || !/^[A-Z][A-Z0-9_]*$/.test(cap['variable'])) problems.push('isa.cpuFeatureCap.variable must name an environment variable (A-Z, 0-9, _)');
    if (!isText(cap['baseline'])) problems.push('isa.cpuFeatureCap.baseline must be a non-empty string');
    else {
      // The baseline value must parse, and leave no optional feature of every feature the backend knows.
      try {
        const capped = backend.cpuFeatures.applyCap(CpuFeatureSet.of(backend.cpuFeatures.known), cap['baseline']);
        if (capped.names.length > 0) problems.push(`isa.cpuFeatureCap.baseline ${cap['baseline']} leaves optional features: ${capped}`);
      } catch (error) {
        problems.push(`isa.cpuFeatureCap.baseline ${cap['baseline']} is refused: ${(error as Error).message}`);
      }
    }
  } else if (backend.cpuFeatures.known.length > 0) {
    problems.push('a backend with optional CPU features needs isa.cpuFeatureCap');
  }
  if (!isTextList(isa['codegenSources']) || isa['codegenSources'].length === 0) problems.push('isa.codegenSources must list the source folders that decide generated code');
  return problems;
}
