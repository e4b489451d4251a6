// v128 on arm64: TEMPORARY, every v128 operation bails out until the NEON implementation lands.
import { BackendBailout, BailoutReason } from '@flint/backend';
import { ControlMasm } from './control.ts';

const unsupported = (what: string): never => {
  throw new BackendBailout(BailoutReason.UnsupportedOperator, `v128 ${what} on arm64`);
};

export class SimdMasm extends ControlMasm {
  loadV128Constant(): void { unsupported('const'); }
  v128Splat(): void { unsupported('splat'); }
  v128ExtractLane(): void { unsupported('extract_lane'); }
  v128ReplaceLane(): void { unsupported('replace_lane'); }
  v128Shuffle(): void { unsupported('shuffle'); }
  v128Unary(): void { unsupported('unary'); }
  v128Binary(): void { unsupported('binary'); }
  v128Ternary(): void { unsupported('ternary'); }
  v128IntCompare(): void { unsupported('compare'); }
  v128FloatCompare(): void { unsupported('compare'); }
  v128Shift(): void { unsupported('shift'); }
  v128Reduce(): void { unsupported('reduce'); }
  v128Load(): void { unsupported('load'); }
  v128LoadLane(): void { unsupported('load_lane'); }
  v128StoreLane(): void { unsupported('store_lane'); }
}
