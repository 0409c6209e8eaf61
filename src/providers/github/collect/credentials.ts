import { readFileSync } from 'node:fs';
import { InputError } from '../../../util/errors.js';
import type { GithubCredential } from './client.js';

// Which credential to collect with, in the order GitHub users expect: a GitHub App when its id
// is given (the only way GitHub lists fine-grained PAT grants), else a token from GITHUB_TOKEN
// or GH_TOKEN (as gh and Actions set them). Nothing of a key or token is ever printed.

export interface CredentialRequest {
  appId?: string;
  appKeyFile?: string;
}

const PEM = /-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----/;

function appKey(req: CredentialRequest, env: NodeJS.ProcessEnv): string {
  if (req.appKeyFile) {
    let text: string;
    try {
      text = readFileSync(req.appKeyFile, 'utf8');
    } catch (err) {
      throw new InputError(`cannot read the GitHub App private key (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, req.appKeyFile);
    }
    if (!PEM.test(text)) throw new InputError('not a PEM private key (expected -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----)', req.appKeyFile);
    return text;
  }
  // CI secrets often hold the PEM with its newlines written as \n.
  const text = env.GITHUB_APP_PRIVATE_KEY?.replace(/\\n/g, '\n');
  if (!text) throw new InputError('--github-app-id needs the App\'s private key: give --github-app-key-file FILE or set GITHUB_APP_PRIVATE_KEY');
  if (!PEM.test(text)) throw new InputError('GITHUB_APP_PRIVATE_KEY is not a PEM private key (expected -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----)');
  return text;
}

export function resolveCredential(req: CredentialRequest, env: NodeJS.ProcessEnv = process.env): GithubCredential {
  if (req.appId) {
    if (!/^\d+$/.test(req.appId) && !/^Iv[0-9a-z.]+$/i.test(req.appId)) {
      throw new InputError(`--github-app-id ${req.appId}: expected the App's numeric id or its client id (Iv…)`);
    }
    return { kind: 'app', appId: req.appId, privateKey: appKey(req, env) };
  }
  if (req.appKeyFile) throw new InputError('--github-app-key-file needs --github-app-id: the id of the App the key belongs to');
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (token) return { kind: 'token', token: token.trim() };
  throw new InputError(
    'GitHub: no credential. Set GITHUB_TOKEN (or GH_TOKEN) to a token, or give --github-app-id with --github-app-key-file ' +
      '(or GITHUB_APP_PRIVATE_KEY) to collect as a GitHub App; `agentscan permissions github` lists what either needs',
  );
}
