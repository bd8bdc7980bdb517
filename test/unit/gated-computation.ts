/**
 * A computation that the test finishes by hand (for the kept values computed asynchronously): it
 * counts how many started and how many ran at once, and each one waits until `finish` releases it,
 * so what every request gets can be seen at every step.
 */
export function gatedComputation() {
  let computations = 0;
  let running = 0;
  let most = 0;
  const waiting: (() => void)[] = [];
  return {
    /** takes what `result` gives when it starts (the version it reads), and answers it once released */
    async run<T>(result: () => T): Promise<T> {
      computations += 1;
      running += 1;
      most = Math.max(most, running);
      const value = result();
      await new Promise<void>((r) => waiting.push(r));
      running -= 1;
      return value;
    },
    computations: () => computations,
    most: () => most,
    /** releases the oldest computation still waiting (false: none is) */
    finish: (): boolean => {
      const next = waiting.shift();
      next?.();
      return next !== undefined;
    },
    waiting: () => waiting.length,
  };
}
