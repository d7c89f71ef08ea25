/**
 * Child process of bench/perf-*.ts: one load with @probe/perf's built engine, its result as one JSON line on stdout
 * (histograms left out). Usage: node bench/perf/client.ts '<runHttpLoad options as JSON>'
 */
const { runHttpLoad } = await import(new URL('../../packages/perf/dist/index.js', import.meta.url).href);

const result = await runHttpLoad({ progress: 'off', ...JSON.parse(process.argv[2] ?? '{}') });
const { histogram: _h, serviceHistogram: _s, sendLagHistogram: _l, ...summary } = result;
process.stdout.write(`${JSON.stringify(summary)}\n`);
