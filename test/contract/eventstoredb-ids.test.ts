import { describe, expect, it } from 'vitest';
import { derivedId } from '../../src/importer.ts';
import { esdbEventId } from '../../src/store/eventstoredb.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// EventStoreDB accepts only UUID event ids; these run without a server.
describe('event ids sent to EventStoreDB', () => {
  it('sends a UUID as it is (lower-cased) and maps any other id to a stable UUID', () => {
    expect(esdbEventId('0B6C1D2E-0000-4000-8000-000000000001')).toBe('0b6c1d2e-0000-4000-8000-000000000001');
    const mapped = esdbEventId('emp-1042-joined');
    expect(mapped).toMatch(UUID);
    expect(esdbEventId('emp-1042-joined')).toBe(mapped);
    expect(esdbEventId('emp-1043-joined')).not.toBe(mapped);
  });

  it('derives the same UUID for the same import line, and a different one for a different line', () => {
    const a = derivedId('DepartmentOpened', { departmentId: 'd', name: 'D' }, { at: '2024-01-01T00:00:00Z' });
    expect(a).toMatch(UUID);
    expect(derivedId('DepartmentOpened', { departmentId: 'd', name: 'D' }, { at: '2024-01-01T00:00:00Z' })).toBe(a);
    expect(derivedId('DepartmentOpened', { departmentId: 'd', name: 'D' }, { at: '2024-01-01T00:00:01Z' })).not.toBe(a);
    expect(esdbEventId(a)).toBe(a);
  });
});
