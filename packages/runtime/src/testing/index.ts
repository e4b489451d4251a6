// Test-only entry points (`@flint/runtime/testing`): bit-exact access to values behind the JS
// API objects, for the execution-test and conformance runners, which must compare NaN payloads
// and references exactly; and how to start a Node whose CPU runs a backend's code, for harnesses
// that run generated code in child processes.

export { invokeRaw, globalValueRaw, externToRaw, rawToExtern, isRawFuncRef } from './raw.ts';
export { findIsaNode } from './isa-node.ts';
export type { IsaNode, IsaNodeLookup } from './isa-node.ts';
export type { WasmValue } from '../instance/values.ts';
