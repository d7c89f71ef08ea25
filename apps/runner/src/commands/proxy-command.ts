import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringOption } from '../args/option-values.ts';
import { CliError } from '../cli-error.ts';
import type { CommandHandler } from '../main.ts';

/** What this command needs of @probe/resilience (loaded only when `probe proxy` runs). */
interface ResilienceModule {
  startProxyServer(options: { api?: string; proxies?: unknown[] }): Promise<{ url: string; close(): Promise<void> }>;
  TOXIPROXY_API_VERSION: string;
}

/** `probe proxy [--api HOST:PORT] [--config FILE.json]`: the fault proxy as its own process, until a signal. */
export const proxyCommand: CommandHandler = async (args, io) => {
  const api = stringOption(args, 'api') ?? '127.0.0.1:8474';
  if (!/^(\[[^\]]+\]|[^:\s]+):\d{1,5}$/.test(api)) throw new CliError(`--api: expected HOST:PORT, got "${api}"`);
  const proxies = readProxies(stringOption(args, 'config'), io.cwd);
  const resilience = await loadResilience();
  let server: Awaited<ReturnType<ResilienceModule['startProxyServer']>>;
  try {
    server = await resilience.startProxyServer({ api, proxies });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(code === 'EADDRINUSE' ? `--api: ${api} is already in use; stop what listens there or pick another port` : `--config: ${message}`);
  }
  io.stdout.write(`probe: fault proxy (Toxiproxy API ${resilience.TOXIPROXY_API_VERSION}) on ${server.url}; Ctrl-C stops it\n`);
  await new Promise<void>((done) => {
    const stop = io.onInterrupt(() => { stop(); done(); });
  });
  await server.close();
  io.stdout.write('probe: fault proxy stopped; every toxic removed\n');
  return 0;
};

function readProxies(file: string | undefined, cwd: string): unknown[] | undefined {
  if (file === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
  } catch (error) {
    throw new CliError(`--config: cannot read ${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  if (!Array.isArray(parsed)) throw new CliError(`--config: expected a JSON array of { name, listen, upstream }, got ${typeof parsed}`);
  return parsed;
}

async function loadResilience(): Promise<ResilienceModule> {
  try {
    return (await import('@probe/resilience')) as unknown as ResilienceModule;
  } catch {
    throw new CliError('probe proxy needs @probe/resilience: install it next to @probe/runner (npm i @probe/resilience)');
  }
}
