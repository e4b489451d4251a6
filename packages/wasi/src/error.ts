/**
 * The error this package throws at its host-facing API: bad options to `new WASI`, an
 * instance without the exports WASI needs, or a second `start`. A guest's bad input never
 * throws: it gets an errno back.
 */
export class WasiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WasiError';
  }
}
