// Decode and validate in one call.
import { decodeModule } from '../streaming.ts';
import { type ValidateOptions, type ValidationResult, validateModule } from './module-validator.ts';

/** Decodes `bytes` and validates the module; throws `CompileError` when malformed or invalid. */
export function validate(bytes: Uint8Array, options?: ValidateOptions): ValidationResult {
  return validateModule(decodeModule(bytes), options);
}
