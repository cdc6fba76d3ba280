/**
 * Waits until `test` holds, asking again every `everyMs` (default 10 ms), or at each turn of the event loop with
 * `everyMs` 0. No deadline of its own: the test's timeout is the limit, so a slow machine only waits longer.
 */
export async function until(test: () => boolean | Promise<boolean>, everyMs = 10): Promise<void> {
  while (!(await test())) await new Promise((resolve) => (everyMs === 0 ? setImmediate(resolve) : setTimeout(resolve, everyMs)));
}
