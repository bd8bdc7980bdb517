/** One benchmark module, listed in bench/run.ts. */
export interface Bench {
  /** short name; `npm run bench -- NAME` runs only this one */
  name: string;
  description: string;
  /** runs once and returns its rows; `log` prints progress on stderr */
  run(log: (message: string) => void): Promise<BenchRow[]>;
}

export interface BenchRow {
  measure: string;
  value: number;
  /** e.g. "events/s"; higher is better (report latency as its inverse or without a ceiling) */
  unit: string;
  /** the same work done the plainest way, measured in the same run */
  ceiling?: { name: string; value: number };
  /** the ratio value / ceiling the design aims for */
  aim?: number;
  /** lower is better (a cost, such as CPU per request): the ratio is then ceiling / value */
  inverse?: boolean;
}
