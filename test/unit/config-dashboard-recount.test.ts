import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

describe('HALLWAY_DASHBOARD_RECOUNT_SECONDS: how often a stale dashboard window is recounted', () => {
  it('is 5 seconds unless set; 0 recounts as soon as asked', () => {
    expect(loadConfig({}).dashboardRecountSeconds).toBe(5);
    expect(loadConfig({ HALLWAY_DASHBOARD_RECOUNT_SECONDS: '0' }).dashboardRecountSeconds).toBe(0);
    expect(loadConfig({ HALLWAY_DASHBOARD_RECOUNT_SECONDS: '30' }).dashboardRecountSeconds).toBe(30);
  });

  it('refuses what is not a whole number of seconds from 0 to 3600, naming the variable', () => {
    for (const bad of ['-1', '2.5', 'soon', '3601']) {
      expect(() => loadConfig({ HALLWAY_DASHBOARD_RECOUNT_SECONDS: bad })).toThrow(`HALLWAY_DASHBOARD_RECOUNT_SECONDS must be a whole number of seconds from 0 to 3600, got ${bad}`);
    }
  });
});
