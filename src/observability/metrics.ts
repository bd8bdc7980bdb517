/**
 * Prometheus metrics (prom-client) for one Hallway process, in its own registry (several apps can
 * live in one test process). Labels are bounded: the route is Hono's matched pattern, the event
 * type comes from the catalogue, and the projection names are fixed.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventStore } from '../store/port.ts';
import { afterAppends } from '../store/after-append.ts';
import type { Runtime } from '../projections/runtime.ts';

export interface Metrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route' | 'status'>;
  appended: Counter<'type'>;
  signInFailures: Counter<'reason'>;
  /** emails the SMTP server accepted, by kind (invitation, shared, digest) */
  emailsSent: Counter<'kind'>;
  /** email attempts that failed, by kind and outcome: `retrying` (due again later) or `failed` (shown to admins) */
  emailsFailed: Counter<'kind' | 'outcome'>;
}

export function createMetrics(source: { store: () => EventStore; runtime: () => Runtime }): Metrics {
  const registry = new Registry();
  // process figures (CPU, memory, event-loop lag, handles) under the usual names
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'hallway_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'hallway_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const appended = new Counter({
    name: 'hallway_events_appended_total',
    help: 'Events this process appended to the log, by type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const signInFailures = new Counter({
    name: 'hallway_sign_in_failures_total',
    help: 'Failed sign-ins, by reason (unknown email, wrong password, left, no password yet; sso-… for single sign-on, passwords-off)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const emailsSent = new Counter({
    name: 'hallway_emails_sent_total',
    help: 'Emails the SMTP server accepted, by kind (invitation, shared, digest)',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const emailsFailed = new Counter({
    name: 'hallway_emails_failed_total',
    help: 'Email sends that failed, by kind and outcome (retrying: tried again later; failed: given up, listed on /admin)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'hallway_read_model_lag_events',
    help: "How many events of the log each read model has not applied yet (the log's head position minus the model's)",
    labelNames: ['projection'] as const,
    registers: [registry],
    async collect() {
      const head = await source.store().headPosition();
      this.reset();
      for (const p of source.runtime().status()) this.set({ projection: p.name }, Math.max(0, head - p.position));
    },
  });
  new Gauge({
    name: 'hallway_read_models_failed',
    help: 'Read models that stopped on an event they could not apply (also shown by /healthz)',
    registers: [registry],
    collect() {
      this.set(source.runtime().status().filter((p) => p.failed).length);
    },
  });
  return { registry, requests, duration, appended, signInFailures, emailsSent, emailsFailed };
}

/** The store, counting what this process appends by type. */
export function countingAppends(store: EventStore, metrics: Metrics): EventStore {
  return afterAppends(store, (events) => {
    for (const e of events) metrics.appended.inc({ type: e.type });
  });
}
