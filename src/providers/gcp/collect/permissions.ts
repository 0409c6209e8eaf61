// What agentscan needs to collect from gcp, printed by `agentscan permissions gcp`.

export interface PermissionsRequest {
  /** Extra flags of `agentscan permissions`, as commander parsed them. */
  [flag: string]: unknown;
}

/** The text `agentscan permissions gcp` prints. */
export function permissionsText(_req: PermissionsRequest): string {
  throw new Error('not yet available for gcp');
}
