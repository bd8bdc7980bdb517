// A worker thread that lowers its own priority (src/background.ts) and reports its nice value.
import { readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runInBackground } = await import('../../src/background.ts');
runInBackground();
const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
parentPort.postMessage(getPriority(tid));
