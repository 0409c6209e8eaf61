import type { BundleWriter } from '../../../bundle/write.js';
import { CallLog } from '../../../collect/call-log.js';
import type { LiveRun } from '../../../collect/live.js';
import { mapPool } from '../../../collect/pool.js';
import { silentProgress } from '../../../collect/progress.js';
import { InputError } from '../../../util/errors.js';
import { CALL } from '../files.js';
import { DEFAULT_TENANT_CONCURRENCY } from './calls.js';
import { credentialFactory, tokenTenant, type CredentialFactory } from './credential.js';
import { describeAnswer, describeError } from './failure.js';
import { GraphApi } from './graph.js';
import { settingsFromEnv, type EntraCollectSettings } from './settings.js';
import { collectTenant } from './tenant.js';
import { HttpTransport } from './transport.js';
import { inShard } from '../../../collect/shard.js';

// Live Entra collection into a bundle: the credential's own tenant or the tenants given, a
// few at a time. A failed call becomes a coverage entry and the collection goes on; only a
// credential that yields no token at all stops it (exit 2).

export interface EntraCollectOptions extends LiveRun {
  /** Tenant ids or domains (--entra-tenant); the credential's own tenant when absent. */
  tenants?: string[];
  /** Graph root (--graph-url; else AGENTSCAN_GRAPH_URL; else https://graph.microsoft.com). */
  graphUrl?: string;
}

export interface EntraCollectResult {
  /** Tenant ids collected, in order; each has a source folder in the bundle. */
  tenants: string[];
  calls: Map<string, CallLog>;
}

export async function collectEntra(writer: BundleWriter, opts: EntraCollectOptions = {}): Promise<EntraCollectResult> {
  const log = opts.log ?? (() => {});
  const progress = opts.progress ?? silentProgress;
  const settings = settingsFromEnv(opts.graphUrl);
  const transport = new HttpTransport(settings.timeouts, undefined, settings.maxResponseBytes);
  try {
    const credentials = credentialFactory(settings, transport);
    const given = opts.tenants?.length ? [...new Set(opts.tenants)] : undefined;
    const homeCalls = new CallLog('entra');
    const all = given ?? [await ownTenant(settings, credentials, transport, homeCalls)];
    // Tenant ids are GUIDs in any case; a domain name is hashed as given.
    const targets = inShard('entra', all, opts.shard, (t) => t.toLowerCase());
    if (opts.shard) log(`entra: shard ${opts.shard.index}/${opts.shard.count}: ${targets.length} of ${all.length} tenants`);
    const concurrency = opts.concurrency ?? DEFAULT_TENANT_CONCURRENCY;
    log(`entra: Graph ${settings.graphUrl}, authority ${settings.authorityHost}${process.env.AZURE_ACCESS_TOKEN ? ' (token from AZURE_ACCESS_TOKEN)' : ''}`);
    if (targets.length > 1) log(`entra: collecting ${targets.length} tenants, ${Math.min(concurrency, targets.length)} at a time`);

    const calls = new Map<string, CallLog>();
    const ids: string[] = [];
    const noToken: string[] = [];
    let done = 0;
    progress.update('entra', `0/${targets.length} tenants`);
    await mapPool(targets, concurrency, async (tenant, i) => {
      const tenantCalls = given ? new CallLog('entra') : homeCalls;
      const graph = new GraphApi(settings, credentials(given ? tenant : undefined), transport, tenantCalls, given ? tenant : undefined);
      // A domain names the tenant for the token; the bundle folder is the tenant id.
      let tenantId = tenant.toLowerCase();
      const unusable = given ? await signInProblem(graph) : undefined;
      if (unusable) noToken.push(`${tenant}: ${unusable}`);
      else if (!/^[0-9a-f-]{36}$/i.test(tenant)) {
        try {
          tenantId = await tenantIdOf(graph, tenant);
        } catch (err) {
          tenantCalls.failed(CALL.organization, (err as Error).message);
        }
      }
      ids[i] = tenantId;
      calls.set(tenantId, tenantCalls);
      if (unusable || tenantCalls.coverage(tenantId).length > 0) {
        skipTenant(tenantCalls, unusable ? `not collected: no token for tenant ${tenant} (${unusable})` : `not collected: tenant ${tenant} unknown`);
        return;
      }
      await collectTenant({ tenantId, graph, calls: tenantCalls, out: writer.source('entra', tenantId), settings, progress });
      log(`entra ${tenantId}: ${tenantCalls.summary()}`);
      progress.update('entra', `${++done}/${targets.length} tenants`);
    });
    progress.end('entra');
    if (noToken.length === targets.length) {
      throw new InputError(`Entra: no usable credential for any tenant — ${noToken.join('; ')}. ${CREDENTIAL_HELP}`);
    }
    for (const tenantId of ids) writer.addCoverage(...calls.get(tenantId)!.coverage(tenantId));
    for (const tenantId of ids) writer.source('entra', tenantId);
    return { tenants: ids, calls };
  } finally {
    transport.destroy();
  }
}

/** Without --entra-tenant: the tenant the credential signs in to, from its token's tid claim,
 * else from GET /organization. No token at all is a usage error: nothing can be collected. */
async function ownTenant(settings: EntraCollectSettings, credentials: CredentialFactory, transport: HttpTransport, calls: CallLog): Promise<string> {
  const graph = new GraphApi(settings, credentials(undefined), transport, calls);
  let token: string;
  try {
    token = await graph.token();
  } catch (err) {
    const failure = credentials.tokenFailure?.();
    // The credential may be fine: the token endpoint gave no usable answer.
    if (failure) throw new InputError(`Entra: could not get a token — ${failure}`);
    throw new InputError(`Entra: no usable credential — ${oneLine(err)}. ${CREDENTIAL_HELP}`);
  }
  const tid = tokenTenant(token);
  if (tid) return tid.toLowerCase();
  return tenantIdOf(graph, 'the signed-in tenant');
}

async function tenantIdOf(graph: GraphApi, what: string): Promise<string> {
  let detail: string;
  try {
    const answer = await graph.request(CALL.organization, 'v1.0', '/organization?$select=id');
    const id = (answer.body as { value?: { id?: unknown }[] } | undefined)?.value?.[0]?.id;
    if (answer.status === 200 && typeof id === 'string') return id.toLowerCase();
    detail = answer.status === 200 ? 'GET /organization named no tenant id' : describeAnswer(CALL.organization, answer);
  } catch (err) {
    detail = describeError(CALL.organization, err);
  }
  throw new InputError(`Entra: could not tell the tenant id of ${what} — ${detail}`);
}

const CREDENTIAL_HELP =
  'Set AZURE_TENANT_ID with AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH, or ' +
  'AZURE_FEDERATED_TOKEN_FILE for workload identity), run on a managed identity, sign in with `az login`, ' +
  'or give a token in AZURE_ACCESS_TOKEN.';

/** Why the credential gives no token for this tenant, or undefined when it does. */
async function signInProblem(graph: GraphApi): Promise<string | undefined> {
  try {
    await graph.token();
    return undefined;
  } catch (err) {
    return oneLine(err);
  }
}

/** Records every call of a tenant that could not be entered, so its empty folder reads as partial. */
function skipTenant(calls: CallLog, message: string): void {
  for (const [key, call] of Object.entries(CALL)) if (key !== 'deletedUsers') calls.failed(call, message, 'error');
}

function oneLine(err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  // The chain's message lists every credential it tried; keep it readable on one line.
  return message.replace(/\s+/g, ' ').trim().slice(0, 600);
}
