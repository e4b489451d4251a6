// `flint validate <file>…`: decode and validate each module.
import { validate } from '@flint/decoder';
import { type Command, UsageError, reportModuleError } from '../command.ts';
import { loadModule, locatingErrors } from '../load.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check that modules are well-formed and valid',
  usage: 'flint validate <file.wasm|file.wat>…',
  run(ctx, args) {
    if (args.length === 0) throw new UsageError('validate needs at least one file');
    let exitCode = 0;
    for (const file of args) {
      try {
        const loaded = loadModule(file);
        locatingErrors(loaded, () => validate(loaded.bytes));
        ctx.out(`${file}: ${ctx.style.green('valid')}`);
      } catch (error) {
        exitCode = Math.max(exitCode, reportModuleError(ctx, file, error));
      }
    }
    return exitCode;
  },
};
