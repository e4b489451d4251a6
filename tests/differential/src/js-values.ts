// Exact, comparable text for values crossing the JS boundary: integers exactly, BigInts with an
// `n`, floats by `Object.is` semantics (so -0 differs from 0; every NaN is "NaN", since the JS
// boundary does not preserve payloads — payload bits are compared through memory and the
// `bits<i>` exports instead).

export function formatValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value === undefined) return '()';
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  return `<${typeof value}>`;
}
