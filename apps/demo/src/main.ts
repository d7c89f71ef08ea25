/**
 * Start the demo order service.
 *
 *   node src/main.ts [--port N] [--defects]
 *
 * Reads PROBE_PG_URL, PROBE_REDIS_URL, PROBE_KAFKA_BROKERS (what
 * `pnpm services:up` prints), and optionally PORT, DEMO_DEFECTS=1,
 * DEMO_PAYMENTS_URL (default: a payment sandbox in this process),
 * DEMO_JWT_SECRET, DEMO_NAMESPACE (run beside another instance: its own
 * database, keys and topics). When it is ready it prints, on stdout,
 * `DEMO_URL=…`, `DEMO_DATABASE_URL=…`, `DEMO_PAYMENTS_URL=…`, `DEMO_NAMESPACE=…`,
 * `DEMO_PID=…` and `DEMO_DEFECTS=0|1` (a shell can `eval` them); it stops cleanly
 * on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startDemo } from './app.ts';
import { defectsFrom } from './defects.ts';
import { namespaced } from './options.ts';

const { values } = parseArgs({ options: { port: { type: 'string' }, defects: { type: 'boolean' } }, strict: true });
const required = (name: string) => {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`demo: ${name} is not set; bring the services up with 'pnpm services:up' and export what it prints\n`);
    process.exit(2);
  }
  return value;
};

const defects = defectsFrom(values.defects ? ['--defects'] : [], process.env);
const started = performance.now();
const demo = await startDemo({
  pgUrl: required('PROBE_PG_URL'),
  redisUrl: required('PROBE_REDIS_URL'),
  kafkaBrokers: required('PROBE_KAFKA_BROKERS').split(','),
  paymentsUrl: process.env.DEMO_PAYMENTS_URL || undefined,
  port: Number(values.port ?? process.env.PORT ?? 0),
  jwtSecret: process.env.DEMO_JWT_SECRET || undefined,
  defects,
  ...namespaced(process.env.DEMO_NAMESPACE),
}).catch((error: Error) => {
  process.stderr.write(`demo: could not start: ${error.message}\n`);
  process.exit(1);
});
const on = Object.entries(defects).filter(([, enabled]) => enabled).map(([name]) => name);
process.stderr.write(`demo: order service on ${demo.url} in ${Math.round(performance.now() - started)} ms${on.length ? ` with defects: ${on.join(', ')}` : ''}\n`);
process.stdout.write([
  `DEMO_URL=${demo.url}`, `DEMO_DATABASE_URL=${demo.databaseUrl}`, `DEMO_PAYMENTS_URL=${demo.paymentsUrl}`,
  `DEMO_NAMESPACE=${process.env.DEMO_NAMESPACE ?? ''}`, `DEMO_PID=${process.pid}`, `DEMO_DEFECTS=${on.length ? 1 : 0}`, '',
].join('\n'));

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    demo.close().then(() => process.exit(0), () => process.exit(1));
  });
}
