// Values on the command line for `flint run --invoke`: arguments parsed by the parameter's
// type (integers in decimal or hex, floats in decimal or `nan`/`inf`), results printed one per
// line in a form that parses back to the same value.
import { ValType, isNullable, isRefType } from '@flint/decoder';
import { formatValType } from '@flint/text';
import { UsageError } from '../command.ts';

const INTEGER = /^([+-]?)(0x[0-9a-f]+|[0-9]+)$/i;
const DECIMAL_FLOAT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?$/i;

function parseInteger(text: string, bits: 32 | 64, position: string): bigint {
  const match = INTEGER.exec(text.replaceAll('_', ''));
  if (match === null) throw new UsageError(`${position}: '${text}' is not an i${bits} (decimal or 0x hex)`);
  const magnitude = BigInt(match[2]!);
  const value = match[1] === '-' ? -magnitude : magnitude;
  // Signed or unsigned spellings are both accepted: -1 and 0xffffffff are the same i32.
  const min = -(1n << BigInt(bits - 1));
  const max = (1n << BigInt(bits)) - 1n;
  if (value < min || value > max) throw new UsageError(`${position}: ${text} is out of range for i${bits}`);
  return BigInt.asIntN(bits, value);
}

function parseFloat(text: string, bits: 32 | 64, position: string): number {
  const lower = text.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const unsigned = lower.replace(/^[+-]/, '');
  let value: number;
  if (unsigned === 'nan') value = NaN;
  else if (unsigned === 'inf' || unsigned === 'infinity') value = sign * Infinity;
  else if (DECIMAL_FLOAT.test(lower)) value = Number(lower);
  else throw new UsageError(`${position}: '${text}' is not an f${bits} (decimal, nan or inf)`);
  return bits === 32 ? Math.fround(value) : value;
}

/** The JS API value for `text` as a parameter of type `type` (i64 as bigint, as the JS API wants). */
export function parseArgument(text: string, type: number, position: string): number | bigint | null {
  switch (type) {
    case ValType.I32:
      return Number(parseInteger(text, 32, position));
    case ValType.I64:
      return parseInteger(text, 64, position);
    case ValType.F32:
      return parseFloat(text, 32, position);
    case ValType.F64:
      return parseFloat(text, 64, position);
    default:
      if (isRefType(type) && isNullable(type) && text === 'null') return null;
      throw new UsageError(
        `${position}: parameters of type ${formatValType(type)} cannot be given on the command line${isRefType(type) && isNullable(type) ? " (only 'null')" : ''}`,
      );
  }
}

/** The shortest decimal that reads back as the same f32. */
function formatF32(value: number): string {
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return String(candidate);
  }
  return String(value);
}

function formatFloat(value: number, bits: 32 | 64): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Object.is(value, -0)) return '-0';
  return bits === 32 ? formatF32(value) : String(value);
}

/** One result as printed: i32/i64 signed decimal, floats as the shortest round-tripping decimal. */
export function formatResult(value: unknown, type: number): string {
  switch (type) {
    case ValType.I32:
    case ValType.I64:
      return String(value);
    case ValType.F32:
      return formatFloat(value as number, 32);
    case ValType.F64:
      return formatFloat(value as number, 64);
    default:
      if (value === null) return 'null';
      if (typeof value === 'function') return `<function ${value.name}>`;
      return `<${formatValType(type)}>`;
  }
}
