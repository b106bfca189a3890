// The error a call throws, for tests that check its class and its whole message apart.

/** What `run` throws; fails the test when it returns. */
export function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}
