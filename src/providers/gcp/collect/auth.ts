import { GoogleAuth, Impersonated, OAuth2Client, type AuthClient } from 'google-auth-library';
import { tooLargeCause } from '../../../collect/limits.js';
import { InputError } from '../../../util/errors.js';
import { describeFailure } from './failure.js';
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

/** The token exchange reached no usable answer: the credentials may be fine, the endpoint is not. */
function exchangeBroken(err: unknown): string | undefined {
  const e = err as { message?: string; cause?: unknown; response?: { status?: number; data?: unknown } };
  // The library's words for a 2xx answer it found no access_token in (HTML, cut off, wrong shape).
  if (/^Could not refresh access token\.?$/.test(e?.message ?? '') || Math.floor((e?.response?.status ?? 0) / 100) === 2) {
    return 'malformed response: the token exchange answered without an access token';
  }
  const transport = tooLargeCause(err) || !e?.response ? describeFailure(err, 'the token exchange') : undefined;
  return transport && !/^network error: |^Error: /.test(transport) ? transport : undefined;
}

function noCredentials(err: unknown, impersonate?: string): InputError {
  const broken = exchangeBroken(err);
  if (broken) return new InputError(`Google Cloud: could not get an access token${impersonate ? ` for ${impersonate}` : ''} — ${broken}`);
  const why = ((err as Error)?.message ?? String(err)).replace(/\s+/g, ' ').slice(0, 300);
  const what = impersonate ? `could not get an access token for ${impersonate} (needs roles/iam.serviceAccountTokenCreator on it)` : 'no usable credentials';
  return new InputError(
    `Google Cloud: ${what} — ${why}. Sign in with \`gcloud auth application-default login\`, set GOOGLE_APPLICATION_CREDENTIALS to a key or federation file, or GOOGLE_OAUTH_ACCESS_TOKEN to a token.`,
  );
}
