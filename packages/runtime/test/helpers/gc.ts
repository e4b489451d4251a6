// Full garbage collections for tests of what is freed: V8's gc(), exposed at run time (vitest
// starts workers without --expose-gc), then turns of the event loop so that finalization
// callbacks (FinalizationRegistry) run.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects garbage until finalizers had their chance (a few rounds, since they may free more). */
export async function collectGarbage(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}
