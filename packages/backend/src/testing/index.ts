export { checkBackendStructure, checkCallingConvention, checkIsaDescriptor, checkLabelResolution, checkMachineRegisters } from './structural.ts';
export { checkMacroAssemblerReset } from './cases/reset.ts';
export { EXECUTABLE_CASES, buildCase, runExecutableCase } from './runner.ts';
export { INSTANCE_MARKERS } from './cases/types.ts';
export type {
  BuiltCase,
  CallSetup,
  CaseEnv,
  CaseRun,
  CaseSetup,
  ExecutableCase,
  ExecuteFn,
  ExecutionOutcome,
  TableEntry,
  WasmValue,
} from './cases/types.ts';
export { RegisterValueStack } from './value-stack.ts';
