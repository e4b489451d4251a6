// Decode and validate in one call.
import type { DecodeOptions } from '../options.ts';
import { decodeModule } from '../streaming.ts';
import { type ValidateOptions, type ValidationResult, validateModule } from './module-validator.ts';

/**
 * Decodes `bytes` and validates the module; throws `CompileError` when malformed or invalid.
 * `options.features` is passed to the decoder (see `decodeModule`).
 */
export function validate(bytes: Uint8Array, options?: ValidateOptions & DecodeOptions): ValidationResult {
  return validateModule(decodeModule(bytes, options), options);
}
