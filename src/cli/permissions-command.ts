import type { Command } from 'commander';
import { DEFAULT_ROLE_NAME, memberRoleTrustPolicy, scannerPolicy } from '../providers/aws/collect/permissions.js';
import { InputError } from '../util/errors.js';

interface PermissionsOptions {
  multiAccount?: boolean;
  awsAssumeRole?: string;
  trustPolicy?: string;
}

export function registerPermissionsCommand(program: Command): void {
  program
    .command('permissions')
    .argument('<provider>', 'the provider whose permissions to print (aws, gcp, github, entra)')
    .description('Print the least-privilege, read-only policy agentscan needs to collect from a provider.')
    .option('--multi-account', 'add what --aws-accounts / --aws-organization need: assume the read role, list the accounts')
    .option('--aws-assume-role <name>', `the role name used with --aws-assume-role (default ${DEFAULT_ROLE_NAME})`)
    .option('--trust-policy <scanner-arn>', "print instead the trust policy of each member account's read role, trusting this ARN")
    .addHelpText(
      'after',
      `
Single account: attach the policy to the identity that runs agentscan.
Many accounts:  attach the policy to a role named as in --aws-assume-role in every account
                (its trust policy from --trust-policy ARN), and the --multi-account policy to
                the identity that runs agentscan. See "AWS setup" in the README.`,
    )
    .action(async (provider: string, opts: PermissionsOptions) => {
      if (provider === 'gcp' || provider === 'github' || provider === 'entra') {
        // Each provider's module says what its collector calls; loaded only for that provider.
        const mod = (await import(`../providers/${provider}/collect/permissions.js`)) as {
          permissionsText(req: Record<string, unknown>): string;
        };
        process.stdout.write(mod.permissionsText({ ...opts }));
        return;
      }
      if (provider !== 'aws') throw new InputError(`no permissions to print for "${provider}": expected aws, gcp, github or entra`);
      const doc = opts.trustPolicy
        ? memberRoleTrustPolicy(opts.trustPolicy)
        : scannerPolicy({ multiAccount: opts.multiAccount, roleName: opts.awsAssumeRole });
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    });
}
