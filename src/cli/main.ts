import { Command, CommanderError } from 'commander';
import { EXIT, InputError } from '../util/errors.js';
import { TOOL_VERSION } from '../util/version.js';
import { registerCollectCommand } from './collect-command.js';
import { registerPermissionsCommand } from './permissions-command.js';
import { registerRulesCommand } from './rules-command.js';
import { registerScanCommand } from './scan-command.js';
import { registerDiffCommand } from './diff-command.js';
import { registerPathsCommand } from './paths-command.js';

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('agentscan')
    .description('Find the identities AI agents act through and what is wrong with them.')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) })
    .showHelpAfterError('(run with --help for usage)');
  registerScanCommand(program, setExit);
  registerDiffCommand(program, setExit);
  registerCollectCommand(program, setExit);
  registerPathsCommand(program);
  registerRulesCommand(program);
  registerPermissionsCommand(program);
  program.commands.forEach((c) => c.exitOverride());
  return program;
}

/** Runs the CLI and returns the exit code (DESIGN.md: 0 clean, 1 findings, 2 bad input, 3 incomplete). */
export async function main(argv: string[]): Promise<number> {
  // `agentscan scan | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // A full disk (`> /dev/full`) or a bad descriptor: the report did not arrive, which CI must
    // not read as exit 1 ("findings").
    process.stderr.write(`agentscan: cannot write to standard output (${err.code ?? err.message})\n`);
    process.exit(EXIT.usage);
  });
  let code: number = EXIT.ok;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through exitOverride with code 0.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof InputError) {
      process.stderr.write(`agentscan: ${err.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`agentscan: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT.internal;
  }
}
