import { GoogleAuth, Impersonated, OAuth2Client, type AuthClient } from 'google-auth-library';
import { InputError } from '../../../util/errors.js';
import type { createFetch } from './http.js';
import type { GcpCollectSettings } from './settings.js';

// Who agentscan calls Google as: a token in hand (GOOGLE_OAUTH_ACCESS_TOKEN), else Application
// Default Credentials (gcloud's application-default login, a key file or a workload identity
// federation config in GOOGLE_APPLICATION_CREDENTIALS, the metadata server), optionally
// impersonating a service account as gcloud's --impersonate-service-account does. Every
// client shares one transporter, so the token exchange goes where the endpoints say.

const SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];

export interface GcpAuth {
  client: AuthClient;
  /** How the credentials were found, for --verbose (never the credential itself). */
  describe: string;
}

/** gaxios options every auth client gets: our fetch, so redirection and timeouts apply to the library's own requests too. */
export type Transport = NonNullable<ConstructorParameters<typeof OAuth2Client>[0]> extends infer O
  ? O extends { transporterOptions?: infer T } ? T : never
  : never;

export function transportFor(fetcher: ReturnType<typeof createFetch>): Transport {
  return { fetchImplementation: fetcher.fetch as unknown as typeof fetch } as Transport;
}

export async function googleAuth(
  settings: GcpCollectSettings,
  transporterOptions: Transport,
  opts: { impersonate?: string; env?: NodeJS.ProcessEnv },
): Promise<GcpAuth> {
  const env = opts.env ?? process.env;
  let source: AuthClient;
  let describe: string;
  if (env.GOOGLE_OAUTH_ACCESS_TOKEN) {
    const client = new OAuth2Client({ transporterOptions });
    client.setCredentials({ access_token: env.GOOGLE_OAUTH_ACCESS_TOKEN });
    source = client;
    describe = 'the access token in GOOGLE_OAUTH_ACCESS_TOKEN';
  } else {
    const auth = new GoogleAuth({ scopes: SCOPES, clientOptions: { transporterOptions } });
    try {
      source = await auth.getClient();
    } catch (err) {
      throw noCredentials(err);
    }
    describe = `Application Default Credentials (${source.constructor.name})`;
  }
  const client = opts.impersonate
    ? new Impersonated({
        sourceClient: source,
        targetPrincipal: opts.impersonate,
        targetScopes: SCOPES,
        lifetime: 3600,
        delegates: [],
        endpoint: settings.endpoints.iamcredentials,
        transporterOptions,
      })
    : source;
  if (opts.impersonate) describe += `, impersonating ${opts.impersonate}`;
  try {
    const { token } = await client.getAccessToken();
    if (!token) throw new Error('the credential gave no access token');
  } catch (err) {
    throw noCredentials(err, opts.impersonate);
  }
  return { client, describe };
}

function noCredentials(err: unknown, impersonate?: string): InputError {
  const why = ((err as Error)?.message ?? String(err)).replace(/\s+/g, ' ').slice(0, 300);
  const what = impersonate ? `could not get an access token for ${impersonate} (needs roles/iam.serviceAccountTokenCreator on it)` : 'no usable credentials';
  return new InputError(
    `Google Cloud: ${what} — ${why}. Sign in with \`gcloud auth application-default login\`, set GOOGLE_APPLICATION_CREDENTIALS to a key or federation file, or GOOGLE_OAUTH_ACCESS_TOKEN to a token.`,
  );
}
