// Test-only entry points (`@flint/runtime/testing`): bit-exact access to values behind the JS
// API objects, for the execution-test and conformance runners, which must compare NaN payloads
// and references exactly.

export { invokeRaw, globalValueRaw, externToRaw, rawToExtern, isRawFuncRef } from './raw.ts';
export type { WasmValue } from '../instance/values.ts';
