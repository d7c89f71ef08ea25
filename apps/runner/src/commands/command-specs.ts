import type { CommandSpec, OptionSpec } from '../args/command-spec.ts';

// The CLI's surface, kept free of @probe/core imports so that `--help` starts fast.

const config: OptionSpec = { type: 'string', short: 'c', placeholder: 'FILE', description: 'Config file (default: the first of probe.config.ts, .mts, .mjs, .js, .json in the current directory)' };
const only: OptionSpec = { type: 'string', multiple: true, placeholder: 'GLOB', description: 'Run only checks whose id matches (repeatable; `*` spans dots; `target/glob` matches one target)' };
const skip: OptionSpec = { type: 'string', multiple: true, placeholder: 'GLOB', description: 'Leave out checks whose id matches (repeatable)' };
const shard: OptionSpec = { type: 'string', placeholder: 'I/N', description: 'Run only shard I of N (deterministic; the N shards are disjoint and cover the run)' };
const readOnly: OptionSpec = { type: 'boolean', description: 'Skip every check flagged `writes`' };
const strict: OptionSpec = { type: 'boolean', description: 'A warning makes the exit code 1' };
const quiet: OptionSpec = { type: 'boolean', short: 'q', description: 'No progress or report on the console; one summary line' };
const ndjson: OptionSpec = { type: 'string', placeholder: 'FILE', description: 'Write the run as NDJSON events (rebuild any report from it later)' };
const junit: OptionSpec = { type: 'string', placeholder: 'FILE', description: 'Write JUnit XML (one testsuite per target)' };
const checklist: OptionSpec = { type: 'string', placeholder: 'FILE', description: 'Write the marked checklist as Markdown' };
const html: OptionSpec = { type: 'string', placeholder: 'FILE', description: 'Write the HTML report (one self-contained file: totals, failures with evidence, charts, checklist)' };

const EXIT_CODES = 'Exit codes: 0 all passed (warnings allowed unless --strict), 1 a check failed, 2 a check errored or the config/arguments are invalid, 130/143 interrupted by SIGINT/SIGTERM.';

/** `probe run` */
export const runSpec: CommandSpec = {
  name: 'run',
  summary: 'Run the checks of a config and report',
  usage: 'run [options]',
  options: {
    config, only, skip, 'read-only': readOnly, shard,
    timeout: { type: 'string', placeholder: 'MS', description: 'Default deadline per check in milliseconds (the config’s timeoutMs, else 5000)' },
    concurrency: { type: 'string', placeholder: 'N', description: 'Probes running at the same time (the config’s concurrency, else 4)' },
    ndjson, junit, checklist, html, strict, quiet,
    verbose: { type: 'boolean', description: 'Show the evidence of passing checks too' },
  },
  notes: [
    EXIT_CODES,
    'Ctrl-C (SIGINT) or SIGTERM stops scheduling, aborts running checks, runs every teardown and writes the partial reports; a second signal exits at once.',
    'Examples:\n  probe run\n  probe run --config probe.config.ts --only "db.*" --read-only --ndjson out/run.ndjson --junit out/junit.xml --html out/report.html\n  probe run --shard 2/4 --ndjson out/shard-2.ndjson',
  ],
};

/** `probe list` */
export const listSpec: CommandSpec = {
  name: 'list',
  summary: 'List the checks a run would execute, with their checklist items',
  usage: 'list [options]',
  options: {
    config, only, skip, shard,
    'read-only': { type: 'boolean', description: 'Mark the checks --read-only would skip' },
    json: { type: 'boolean', description: 'Print JSON (one array of checks) instead of text' },
  },
};

/** `probe checklist` */
export const checklistSpec: CommandSpec = {
  name: 'checklist',
  summary: 'Print the checklist marked with results, or with a config’s coverage',
  usage: 'checklist [--from FILE.ndjson] [--config FILE] [--format text|md] [--out FILE]',
  options: {
    from: { type: 'string', placeholder: 'FILE.ndjson', description: 'Mark items with the results of a saved run' },
    config: { ...config, description: 'Mark items with the checks of a config, without running them (default when --from is not given)' },
    format: { type: 'string', placeholder: 'text|md', description: 'Output format (default text)' },
    out: { type: 'string', placeholder: 'FILE', description: 'Write to a file instead of stdout' },
  },
};

/** `probe report` */
export const reportSpec: CommandSpec = {
  name: 'report',
  summary: 'Render a saved NDJSON run as JUnit XML, a Markdown checklist, console output or an HTML report',
  usage: 'report FILE.ndjson --format junit|md|console|html [--out FILE]',
  positionals: { name: 'the NDJSON file to render', min: 1, max: 1 },
  options: {
    format: { type: 'string', placeholder: 'junit|md|console|html', description: 'What to render (required)' },
    out: { type: 'string', placeholder: 'FILE', description: 'Write to a file instead of stdout' },
  },
  notes: ['Exit code 0 when the report was written (whatever the run’s verdict), 2 when the file cannot be read.'],
};

/** `probe merge` */
export const mergeSpec: CommandSpec = {
  name: 'merge',
  summary: 'Merge the NDJSON files of shards into one run (totals and exit code recomputed)',
  usage: 'merge A.ndjson B.ndjson … [--ndjson OUT] [--junit FILE] [--checklist FILE] [--html FILE]',
  positionals: { name: 'the NDJSON files to merge', min: 1 },
  options: { ndjson: { ...ndjson, description: 'Write the merged run as NDJSON' }, junit, checklist, html, strict, quiet },
  notes: ['Exits with the merged run’s exit code (0, 1, 2; 130/143 when a shard was interrupted).'],
};

/** `probe proxy` */
export const proxySpec: CommandSpec = {
  name: 'proxy',
  summary: 'Run the fault proxy standalone, with a Toxiproxy-compatible HTTP API (needs @probe/resilience)',
  usage: 'proxy [--api HOST:PORT] [--config FILE.json]',
  options: {
    api: { type: 'string', placeholder: 'HOST:PORT', description: 'Address of the control API (default 127.0.0.1:8474, as Toxiproxy’s)' },
    config: { type: 'string', short: 'c', placeholder: 'FILE.json', description: 'Proxies to create at start: a JSON array of { name, listen, upstream, enabled? } (Toxiproxy’s -config format)' },
  },
  notes: [
    'Any Toxiproxy client (toxiproxy-node-client, testcontainers’ toxiproxy module, the Go/Ruby clients) can drive it. Runs until SIGINT/SIGTERM, then removes every toxic and closes every proxy.',
    'Example:\n  probe proxy --api 127.0.0.1:8474\n  curl -s -X POST 127.0.0.1:8474/proxies -d \'{"name":"pg","listen":"127.0.0.1:15432","upstream":"127.0.0.1:5432"}\'',
  ],
};

/** Every command, in the order `probe --help` lists them. */
export const COMMAND_SPECS: readonly CommandSpec[] = [runSpec, listSpec, checklistSpec, reportSpec, mergeSpec, proxySpec];
