import type { EventStore } from './port.ts';

/**
 * The store, calling `then` with the events of every append (single or batch) once it has
 * succeeded; everything else goes straight through. One shape for the decorators that react to
 * this process's own appends (waking the projection worker, counting appends for /metrics).
 */
export function afterAppends(store: EventStore, then: (events: readonly { type: string }[]) => void): EventStore {
  return new Proxy(store, {
    get(target, key) {
      if (key === 'append') {
        return async (...args: Parameters<EventStore['append']>) => {
          const r = await target.append(...args);
          then(args[1]);
          return r;
        };
      }
      if (key === 'appendBatch') {
        return async (...args: Parameters<EventStore['appendBatch']>) => {
          const r = await target.appendBatch(...args);
          then(args[0].flatMap((item) => item.events));
          return r;
        };
      }
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
