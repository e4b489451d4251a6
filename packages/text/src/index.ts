export { WatSyntaxError } from './errors.ts';
export { assembleWat, parseWat } from './wat/parse.ts';
export type { AssembledWat, ParseWatOptions, SourcePosition } from './wat/parse.ts';
export { parseWast } from './wast/script.ts';
export type { ParseWastOptions } from './wast/script.ts';
export type {
  FloatPattern,
  NanPattern,
  V128Shape,
  WastAction,
  WastCommand,
  WastConst,
  WastExpected,
  WastModule,
  WastRef,
  WastRefKind,
  WastScript,
} from './wast/types.ts';
export { printModule } from './printer/print-module.ts';
export type { PrintOptions } from './printer/print-module.ts';
export { formatValType } from './printer/types.ts';
