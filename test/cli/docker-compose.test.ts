import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const COMPOSE = '/usr/bin/docker-compose';
const missing = !existsSync(COMPOSE);

describe('docker-compose.yml', () => {
  it.skipIf(missing)(
    `is valid for docker-compose config -q${missing ? ` (skipped: ${COMPOSE} is not installed; .ci/run installs it)` : ''}`,
    async () => {
      // rejects (and fails the test) when the file is invalid
      await run(COMPOSE, ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: ROOT });
      const { stdout } = await run(COMPOSE, ['-f', 'docker-compose.yml', 'config'], { cwd: ROOT });
      expect(stdout).toContain('EVENTSTORE_URL: esdb://eventstore:2113?tls=false');
      expect(stdout).toMatch(/condition: service_healthy/);
      expect(stdout).toMatch(/EVENTSTORE_RUN_PROJECTIONS: None/);
      expect(stdout).toMatch(/EVENTSTORE_INSECURE: 'true'|EVENTSTORE_INSECURE: "true"/);
      // the seal key is a secret, outside the data volume (docs/trust.md "Seals")
      expect(stdout).toContain('HALLWAY_SEAL_KEY_FILE: /run/secrets/hallway_seal_key');
      expect(stdout).toMatch(/hallway_seal_key:\n\s+file: .*secrets\/hallway-seal\.key\n/);
      // email is optional: both variables are there, empty unless the operator sets them
      expect(stdout).toMatch(/HALLWAY_SMTP_URL: ('')?\n/);
      expect(stdout).toMatch(/HALLWAY_MAIL_FROM: ('')?\n/);
      // single sign-on is optional: the variables are there, empty unless the shell or .env sets them
      for (const name of ['HALLWAY_OIDC_ISSUER', 'HALLWAY_OIDC_CLIENT_ID', 'HALLWAY_OIDC_CLIENT_SECRET', 'HALLWAY_OIDC_NAME']) expect(stdout).toMatch(new RegExp(`${name}: (''|"")\n`));
      expect(stdout).toMatch(/HALLWAY_PASSWORDS: "?on"?\n/);
    },
  );

  it('goes with a Dockerfile that serves Hallway from a data volume, on Node 24 (LTS) in both stages', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(bases).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
    expect(dockerfile).toContain('npm ci');
    // serve runs with the node flags `npm start` gives it (the young generation's size: serve's memory)
    const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
    expect(start).toEqual(['node', '--max-semi-space-size=8', 'bin/hallway.mjs', 'serve']);
    expect(dockerfile).toContain(`CMD ${JSON.stringify(start).replaceAll(',', ', ')}`);
    expect(dockerfile).toMatch(/VOLUME \["\/data"\]/);
  });
});
