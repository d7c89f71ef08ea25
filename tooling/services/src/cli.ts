#!/usr/bin/env node
// probe services: up | down | status [names…]. Run with Node 22.18+ (type stripping):
//   node tooling/services/src/cli.ts up            → KEY=value lines on stdout, progress on stderr
//   out=$(node tooling/services/src/cli.ts up) && eval "export $out"   (or: up --export)
import { ensureServices } from './ensure.ts';
import { SERVICE_NAMES } from './env.ts';
import { ignoreKafkajsTimeoutWarning } from './node-warnings.ts';
import { describeMissing, formatEnvLines, formatStatus, isCI, stderrLog } from './report.ts';
import { serviceStatus } from './status.ts';
import { stopServices } from './stop.ts';
import type { ServiceName } from './types.ts';

const USAGE = `usage: cli.ts up [--export] [--check-only] [names…] | down [names…] | status [names…]
names: ${SERVICE_NAMES.join(' ')} (default: all)`;

function parse(argv: string[]): { command: string; names: ServiceName[]; flags: Set<string> } {
  const [command = '', ...rest] = argv;
  const flags = new Set(rest.filter((arg) => arg.startsWith('--')));
  const names = rest.filter((arg) => !arg.startsWith('--'));
  const unknown = names.filter((name) => !SERVICE_NAMES.includes(name as ServiceName));
  if (unknown.length > 0) throw new Error(`unknown service ${unknown.join(', ')}\n${USAGE}`);
  const chosen = SERVICE_NAMES.filter((name) => names.length === 0 || names.includes(name)); // canonical order
  return { command, names: chosen, flags };
}

async function main(): Promise<number> {
  ignoreKafkajsTimeoutWarning();
  const { command, names, flags } = parse(process.argv.slice(2));
  switch (command) {
    case 'up': {
      const result = await ensureServices(names, { start: !flags.has('--check-only') });
      const lines = formatEnvLines(result.env, { exportPrefix: flags.has('--export') });
      if (lines) process.stdout.write(`${lines}\n`);
      if (result.missing.length === 0) return 0;
      if (isCI()) {
        process.stderr.write(`${describeMissing(result.missing, 'under CI=true this fails the run')}\n`);
        return 1;
      }
      process.stderr.write(`${describeMissing(result.missing)}\n`);
      return 0;
    }
    case 'down':
      await stopServices(names);
      return 0;
    case 'status': {
      process.stdout.write(`${formatStatus(await serviceStatus(names))}\n`);
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code), // exit even if a client library left a timer behind
  (error: unknown) => {
    stderrLog(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
