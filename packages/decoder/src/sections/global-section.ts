// The global section: a global type and a constant initialiser expression per global.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html#global-section
import type { Reader } from '../reader.ts';
import { readGlobalType } from '../read-types.ts';
import { ImplementationLimits as L } from '../limits.ts';
import type { DecodeContext } from './context.ts';
import { readCount } from './context.ts';

export function decodeGlobalSection(r: Reader, ctx: DecodeContext): void {
  const m = ctx.module;
  const count = readCount(r, 'globals', L.maxGlobals);
  for (let i = 0; i < count; i++) {
    r.at('global', m.globals.length);
    if (m.globals.length >= L.maxGlobals) r.fail('too many globals', `more than ${L.maxGlobals}`);
    m.globals.push(readGlobalType(r));
    m.globalInits.push(ctx.readConstExpr(r));
  }
}
