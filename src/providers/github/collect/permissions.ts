// What agentscan needs to collect from github, printed by `agentscan permissions github`.

export interface PermissionsRequest {
  /** Extra flags of `agentscan permissions`, as commander parsed them. */
  [flag: string]: unknown;
}

/** The text `agentscan permissions github` prints. */
export function permissionsText(_req: PermissionsRequest): string {
  throw new Error('not yet available for github');
}
