import { describe, expect, it } from 'vitest';
import { positionWaiters, ProjectionLagError } from '../../src/projections/position-waiters.ts';

/** The waits both ways of projecting share (on this thread and in a worker). */
describe('positionWaiters', () => {
  it('resolves the waits at or below an applied position and keeps the others', async () => {
    const w = positionWaiters(3);
    await expect(w.waitFor(3)).resolves.toBeUndefined();
    const done: number[] = [];
    const five = w.waitFor(5).then(() => done.push(5));
    const nine = w.waitFor(9, 50).then(() => done.push(9), (e: unknown) => e);
    w.advance(6);
    await five;
    expect(done).toEqual([5]);
    expect(w.applied).toBe(6);
    w.advance(4); // an older report never moves it back
    expect(w.applied).toBe(6);
    const late = await nine;
    expect(late).toBeInstanceOf(ProjectionLagError);
    expect(done).toEqual([5]);
  });

  it('rejects every wait, now and later, once projecting stops, keeping the first reason', async () => {
    const w = positionWaiters(0);
    const pending = w.waitFor(10);
    w.stop(new Error('first'));
    w.stop(new Error('second'));
    await expect(pending).rejects.toThrow('first');
    await expect(w.waitFor(11)).rejects.toThrow('first');
    await expect(w.waitFor(0)).resolves.toBeUndefined();
    expect(w.stoppedBy?.message).toBe('first');
  });
});
