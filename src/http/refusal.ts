import type { DomainError } from '../domain/decider.ts';
import { ProjectionLagError } from '../projections/runtime.ts';
import { ConcurrencyError } from '../store/port.ts';

/**
 * The one mapping from a refusal to an HTTP status, for every route and the app's error handler:
 * input that does not pass a form's schema and a rule's refusal are 422, not allowed 403, nothing
 * there 404, a conflict (a rule's or a stale expected revision) 409, and a write whose read models
 * are late 503 (it was saved).
 */
export type Refusal = DomainError | ConcurrencyError | ProjectionLagError | 'invalid';
export type RefusalStatus = 403 | 404 | 409 | 422 | 503;

export function statusOf(refusal: ConcurrencyError): 409;
export function statusOf(refusal: ProjectionLagError): 503;
export function statusOf(refusal: DomainError | 'invalid'): 403 | 404 | 409 | 422;
export function statusOf(refusal: Refusal): RefusalStatus;
export function statusOf(refusal: Refusal): RefusalStatus {
  if (refusal === 'invalid') return 422;
  if (refusal instanceof ConcurrencyError) return 409;
  if (refusal instanceof ProjectionLagError) return 503;
  switch (refusal.kind) {
    case 'forbidden':
      return 403;
    case 'not-found':
      return 404;
    case 'conflict':
      return 409;
    case 'invalid':
    case undefined:
      return 422;
    default: {
      const unhandled: never = refusal.kind;
      return unhandled;
    }
  }
}
