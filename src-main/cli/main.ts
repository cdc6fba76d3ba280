/**
 * Backfile's command line: `npm run --silent cli -- <command> …`. A thin adapter over the same services
 * the desktop app and the browser mode use. Errors are one line on stderr and a non-zero exit, never a trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { runCommand, UsageError, USAGE } from './commands';

const options = {
  index: { type: 'string' },
  json: { type: 'boolean', default: false },
  limit: { type: 'string' },
  offset: { type: 'string' },
  sort: { type: 'string' },
  port: { type: 'string' },
  into: { type: 'string' },
  'include-hidden': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || !command || command === 'help') {
    process.stdout.write(USAGE);
    return command || parsed.values.help ? 0 : 2;
  }
  return runCommand(command, rest, parsed.values);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`backfile: ${message.split('\n')[0]}\n`);
    if (error instanceof UsageError) process.stderr.write('Run `npm run --silent cli -- help` for usage.\n');
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
