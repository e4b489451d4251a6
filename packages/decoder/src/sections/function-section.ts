// The function section: the type index of each defined function (bodies come in the code section).
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#function-section
import type { Reader } from '../reader.ts';
import { ImplementationLimits as L } from '../limits.ts';
import type { DecodeContext } from './context.ts';
import { readCount } from './context.ts';

export function decodeFunctionSection(r: Reader, ctx: DecodeContext): void {
  const functions = ctx.module.functions;
  const count = readCount(r, 'functions', L.maxFunctions);
  for (let i = 0; i < count; i++) {
    r.at('function', functions.length);
    if (functions.length >= L.maxFunctions) r.fail('too many functions', `more than ${L.maxFunctions}`);
    functions.push(r.u32());
  }
}
