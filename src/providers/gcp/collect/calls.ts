// Settings of multi-project collection that commands printing them (permissions) can load
// without the auth library.

/** Projects collected at once unless --concurrency says otherwise. */
export const DEFAULT_CONCURRENCY = 4;

export const PLAN_LOG = {
  asset: (n: number) => `Cloud Asset plan, ${n} active project${n === 1 ? '' : 's'}`,
  fallback: 'listing projects with Resource Manager and collecting each project with its own calls',
};
