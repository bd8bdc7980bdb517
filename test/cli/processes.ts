/**
 * Real `hallway` child processes for the multi-process and CLI tests: `serve` on a free port,
 * and one-shot commands with a deadline (a hang detector: a command that has not exited by then
 * is killed and reported, so a hang fails the test instead of stalling the suite).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { BIN } from './run-cli.ts';
import { freePort } from '../helpers.ts';

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** true when the command had to be killed at the deadline */
  hung: boolean;
}

/** Runs `hallway ARGS`; kills it at `deadlineMs` and says so. */
export function runWithDeadline(args: string[], env: Record<string, string>, deadlineMs = 60_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const t = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, deadlineMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr, hung });
    });
  });
}

export interface Serving {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then waits (up to `deadlineMs`) for the exit; resolves to the exit code, or 'hung' */
  stop(deadlineMs?: number): Promise<number | null | 'hung'>;
}

/** Starts `hallway serve` and resolves once it says it is serving. */
export async function startServe(env: Record<string, string>, startMs = 60_000): Promise<Serving> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, PORT: String(port), HALLWAY_PUBLIC_URL: url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`serve did not start within ${startMs} ms: ${out}`)), startMs);
    const check = (): void => {
      // serve listens before its read models have caught up (pages answer 503 until then): wait for ready
      if (/caught up with the log: ready/.test(out)) {
        clearTimeout(t);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(t);
      reject(new Error(`serve exited with ${code}: ${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    async stop(deadlineMs = 15_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const r = await Promise.race([exited, new Promise<'hung'>((res) => setTimeout(() => res('hung'), deadlineMs).unref())]);
      if (r === 'hung') {
        child.kill('SIGKILL');
        await exited;
      }
      return r;
    },
  };
}
