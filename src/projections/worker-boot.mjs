// The projection worker's entry: a worker thread does not inherit tsx's loader from the thread
// that started it, so it registers it before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
