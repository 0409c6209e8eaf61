import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { maxResponseBytesFromEnv } from '../../../collect/limits.js';
import { timeoutsFromEnv } from '../../../collect/timeouts.js';
import { requestHandler } from './http.js';
import { retryStrategy } from './retry.js';
import type { AwsCollectSettings } from './settings.js';

// SDK clients for one set of credentials. Credentials come from the SDK's default chain
// (environment, shared config and SSO, web identity, container and instance metadata), with
// `profile` choosing a shared-config profile; endpoints come from the SDK's own resolution,
// which honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_IAM / _STS / _ORGANIZATIONS.

export interface ClientTarget {
  region: string;
  profile?: string;
  /** Assumed-role credentials for another account; the default chain when absent. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export interface AwsClients {
  iam: IAMClient;
  sts: STSClient;
  organizations: OrganizationsClient;
  destroy(): void;
}

export function createClients(target: ClientTarget, settings: AwsCollectSettings): AwsClients {
  const timeouts = timeoutsFromEnv();
  const maxBytes = maxResponseBytesFromEnv();
  const config = () => ({
    region: target.region,
    requestHandler: requestHandler(timeouts, maxBytes),
    ...(target.profile ? { profile: target.profile } : {}),
    ...(target.credentials ? { credentials: target.credentials } : {}),
    retryStrategy: retryStrategy(settings),
  });
  const iam = new IAMClient(config());
  const sts = new STSClient(config());
  const organizations = new OrganizationsClient(config());
  return {
    iam,
    sts,
    organizations,
    destroy: () => [iam, sts, organizations].forEach((c) => c.destroy()),
  };
}

/**
 * --region, else the region the SDK finds (AWS_REGION, the profile), else us-east-1: IAM and
 * Organizations are global services, so a region only picks the partition and the STS endpoint.
 */
export async function resolveRegion(region: string | undefined, profile: string | undefined): Promise<string> {
  if (region) return region;
  const probe = new STSClient(profile ? { profile } : {});
  try {
    return await probe.config.region();
  } catch {
    return 'us-east-1';
  } finally {
    probe.destroy();
  }
}
