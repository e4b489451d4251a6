export { checkBackendStructure, checkCallingConvention, checkIsaDescriptor, checkLabelResolution, checkMachineRegisters } from './structural.ts';
export { checkMacroAssemblerReset } from './cases/reset.ts';
export { EXECUTABLE_CASES, buildCase, runExecutableCase } from './runner.ts';
export type { CaseEnv, CaseRun, CaseSetup, ExecutableCase, ExecuteFn, ExecutionOutcome, WasmValue } from './cases/types.ts';
export { RegisterValueStack } from './value-stack.ts';
