import type { EventStore } from './port.ts';

export function openEventStoreDB(_url: string): EventStore {
  throw new Error('the EventStoreDB adapter is not written yet');
}
