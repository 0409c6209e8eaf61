import { createHash } from 'node:crypto';

/**
 * OpenSSH's fingerprint of a public key line (`ssh-ed25519 AAAA… comment`): SHA-256 of the
 * decoded key blob, base64 without padding, prefixed `SHA256:` — the form `ssh-keygen -lf`
 * prints and GitHub shows, so one key pasted in several places gets one fingerprint.
 */
export function sshFingerprint(publicKey: string): string {
  const blob = publicKey.trim().split(/\s+/)[1] ?? '';
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** The key algorithm named at the start of a public key line (ssh-ed25519, ssh-rsa…). */
export function sshKeyType(publicKey: string): string {
  return publicKey.trim().split(/\s+/)[0] ?? '';
}
