import { z } from 'zod';
import { PROVIDERS } from './inventory.js';

// bundle.json: what was asked, when, by which version, and what failed. The raw API
// responses sit beside it under each source's `path`.

export const BUNDLE_FORMAT = 'agentscan-bundle';
export const BUNDLE_FORMAT_VERSION = 1;

export const coverageEntrySchema = z.object({
  provider: z.enum(PROVIDERS),
  scope: z.string().min(1),
  /** The API call, as the provider names it (iam:GetAccountAuthorizationDetails, GET /orgs/{org}/installations). */
  call: z.string().min(1),
  status: z.enum(['ok', 'error', 'skipped']),
  message: z.string().optional(),
});
export type CoverageEntry = z.infer<typeof coverageEntrySchema>;

export const bundleSourceSchema = z.object({
  provider: z.enum(PROVIDERS),
  /** The account id, project id, org login or tenant id the source covers. */
  scope: z.string().min(1),
  /** Folder, relative to bundle.json, holding this source's raw responses. */
  path: z.string().min(1),
});
export type BundleSource = z.infer<typeof bundleSourceSchema>;

/** The order coverage entries are written and merged in, whatever order scopes finished in. */
export function byCoverageOrder(a: CoverageEntry, b: CoverageEntry): number {
  return a.provider.localeCompare(b.provider) || a.scope.localeCompare(b.scope) || a.call.localeCompare(b.call);
}

export const bundleManifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  collectedAt: z.iso.datetime({ offset: true }),
  /** Empty only for a shard of a collection that had nothing to collect. */
  sources: z.array(bundleSourceSchema),
  coverage: z.array(coverageEntrySchema).default([]),
});
export type BundleManifest = z.infer<typeof bundleManifestSchema>;
