// What agentscan needs to collect from entra, printed by `agentscan permissions entra`.

export interface PermissionsRequest {
  /** Extra flags of `agentscan permissions`, as commander parsed them. */
  [flag: string]: unknown;
}

/** The text `agentscan permissions entra` prints. */
export function permissionsText(_req: PermissionsRequest): string {
  throw new Error('not yet available for entra');
}
