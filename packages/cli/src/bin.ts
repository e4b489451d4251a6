#!/usr/bin/env node
import { main } from './main.ts';

// A reader that stops early (`flint wast … | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw error;
  });
}

process.exitCode = main(process.argv.slice(2));
