/**
 * Backfile's command line: `npm run --silent cli -- <command> …`. A thin adapter over the same services
 * the desktop app and the browser mode use. Errors are one line on stderr and a non-zero exit, never a trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { runCommand, UsageError, USAGE } from './commands';

const options = {
  index: { type: 'string' },
  store: { type: 'string' },
  'pg-schema': { type: 'string' },
  'team-workspace': { type: 'boolean' },
  watch: { type: 'boolean', default: false },
  workspace: { type: 'string' },
  star: { type: 'boolean' },
  unstar: { type: 'boolean' },
  label: { type: 'string', multiple: true },
  unlabel: { type: 'string', multiple: true },
  note: { type: 'string' },
  add: { type: 'string' },
  remove: { type: 'string' },
  query: { type: 'string' },
  json: { type: 'boolean', default: false },
  limit: { type: 'string' },
  offset: { type: 'string' },
  sort: { type: 'string' },
  port: { type: 'string' },
  into: { type: 'string' },
  style: { type: 'string' },
  accessed: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean', default: false },
  replace: { type: 'boolean', default: false },
  lang: { type: 'string' },
  'include-hidden': { type: 'boolean', default: false },
  tag: { type: 'string', multiple: true },
  'any-tag': { type: 'boolean', default: false },
  collapse: { type: 'boolean', default: false },
  by: { type: 'string' },
  terms: { type: 'string' },
  csv: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const unknown = (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? unknownOption(argv) : undefined;
    if (unknown?.startsWith('--')) throw new UsageError(`unknown option ${unknown}`);
    if (unknown) throw new UsageError(`unknown option ${unknown}; for a query or path that starts with "-", put -- before it: … -- ${unknown}`);
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || !command || command === 'help') {
    process.stdout.write(USAGE);
    return command || parsed.values.help ? 0 : 2;
  }
  return runCommand(command, rest, parsed.values);
}

/** The first argument before `--` that looks like an option but is none of ours (`-foo`, a query meant as text). */
function unknownOption(argv: string[]): string | undefined {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).find((arg) => {
    if (!arg.startsWith('-') || arg === '-') return false;
    const name = arg.replace(/^--?/, '').split('=')[0] ?? '';
    return !(arg.startsWith('--') ? Object.hasOwn(options, name) : name === 'h');
  });
}

/** `backfile: <message>`: the first line only (no stack trace), with where to find the usage for a usage error. */
function errorLine(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() || 'unexpected error';
  return error instanceof UsageError ? `backfile: ${message} (usage: npm run --silent cli -- help)` : `backfile: ${message}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${errorLine(error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
