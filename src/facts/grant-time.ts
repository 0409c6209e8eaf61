import type { Entitlement } from '../model/inventory.js';

/** A grant that is not standing and whose end has passed by the scan's clock (a GCP binding whose
 * condition expired, an Entra assignment past its end): listed, but it takes no effect now. */
export function grantExpired(e: Entitlement, now: string): boolean {
  return !e.standing && e.expiresAt !== undefined && Date.parse(e.expiresAt) <= Date.parse(now);
}
