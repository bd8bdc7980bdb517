import { getHeapStatistics } from 'node:v8';
import type { ThreadMemory } from './worker-protocol.ts';

/** This thread's JavaScript memory (each worker thread has a heap of its own). */
export function threadMemory(): ThreadMemory {
  const h = getHeapStatistics();
  return { heapUsed: h.used_heap_size, heapTotal: h.total_heap_size, physical: h.total_physical_size, external: h.external_memory };
}
