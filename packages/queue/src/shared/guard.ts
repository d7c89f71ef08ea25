import type { Check, Outcome } from '@probe/core';
import { isRefusal } from './driver.ts';
import type { OpsResources } from './ops/index.ts';

/**
 * Wrap each check so that (1) its body is tracked, letting teardown wait for
 * work the engine stopped waiting for at the deadline, (2) client errors are
 * translated to the probe's codes, and (3) a broker refusal anywhere (a write
 * refused for lack of in-sync replicas) is a `fail` with the broker's words,
 * not a crash.
 */
export function guardChecks<R extends OpsResources>(checks: readonly Check<R>[], translate: (error: unknown) => unknown): Check<R>[] {
  return checks.map((check) => ({
    ...check,
    run: (context) => context.resources.tracker.track((async (): Promise<Outcome> => {
      try {
        return await check.run(context);
      } catch (error) {
        const translated = translate(error);
        if (!isRefusal(translated)) throw translated;
        return {
          status: 'fail',
          summary: `the broker refused a request: ${translated.reason}: ${translated.message}`,
          evidence: { refusal: translated.reason, message: translated.message },
        };
      }
    })()),
  }));
}
