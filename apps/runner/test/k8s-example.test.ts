import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CLI, FIXTURES, runCli } from './cli-process.ts';
import { tempDir } from './temp-dir.ts';

/**
 * examples/k8s: the manifests parse, agree with each other, and their shell —
 * the shard pods' `probe run --shard` wrapper, the merge Job's waiter and its
 * `probe merge` — does what a cluster would, run here with `sh` and a `probe`
 * on PATH that is the built CLI.
 */
const EXAMPLE = fileURLToPath(new URL('../../../examples/k8s/', import.meta.url));

interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }
interface Container { name: string; image: string; command?: string[]; args?: string[]; env?: EnvVar[]; volumeMounts?: { name: string; mountPath: string }[] }
interface PodSpec { restartPolicy: string; initContainers?: Container[]; containers: Container[]; volumes: { name: string; persistentVolumeClaim?: { claimName: string }; configMap?: { name: string } }[] }
interface Manifest { apiVersion: string; kind: string; metadata: { name: string }; spec: Record<string, unknown> & { template?: { spec: PodSpec } } }

function load(file: string): Manifest[] {
  const documents = parseAllDocuments(readFileSync(join(EXAMPLE, file), 'utf8'));
  const list = Array.isArray(documents) ? documents : [documents];
  for (const document of list) {
    expect(document.errors, file).toEqual([]);
    expect(document.warnings, file).toEqual([]);
  }
  return list.map((document) => document.toJS() as Manifest);
}

function byKind(kind: string, name: string): Manifest {
  const found = readdirSync(EXAMPLE).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml').flatMap(load)
    .find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in examples/k8s`);
  return found;
}

const env = (container: Container, name: string) => container.env?.find((entry) => entry.name === name)?.value;
const script = (container: Container) => {
  expect(container.command).toEqual(['/bin/sh', '-c']);
  return container.args![0]!;
};

const shardsJob = () => byKind('Job', 'probe-shards');
const mergeJob = () => byKind('Job', 'probe-merge');
const pod = (job: Manifest) => job.spec.template!.spec;

/** A directory holding a `probe` that is the built CLI, as the image's /usr/local/bin/probe is; for PATH. */
function probeOnPath(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'probe'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'probe'), 0o755);
  return bin;
}

function onPath(command: string): boolean {
  return spawnSync('/bin/sh', ['-c', `command -v ${command}`]).status === 0;
}

/** Run a manifest's shell script with `sh`, as the container would. */
function sh(source: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', source], { cwd: FIXTURES, env: { ...process.env, CI: 'true', NO_COLOR: '1', NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('examples/k8s', () => {
  it('is valid YAML, and the kustomization names files that exist', () => {
    const [kustomization] = load('kustomization.yaml') as unknown as [{ resources: string[]; configMapGenerator: { name: string; files: string[] }[] }];
    for (const file of [...kustomization.resources, ...kustomization.configMapGenerator.flatMap((generator) => generator.files)]) {
      expect(existsSync(join(EXAMPLE, file)), file).toBe(true);
    }
    expect(kustomization.resources.sort()).toEqual(readdirSync(EXAMPLE).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml').sort());
    // The config in the ConfigMap is erasable TypeScript, which Node 24 runs as it is.
    expect(() => stripTypeScriptTypes(readFileSync(join(EXAMPLE, 'probe.config.ts'), 'utf8'))).not.toThrow();
  });

  it.skipIf(!onPath('kubectl'))('renders with kubectl kustomize: the Jobs mount the generated ConfigMap', () => {
    const rendered = spawnSync('kubectl', ['kustomize', EXAMPLE], { encoding: 'utf8' });
    expect(rendered.status, rendered.stderr).toBe(0);
    const manifests = parseAllDocuments(rendered.stdout).map((document) => document.toJS() as Manifest);
    const configMap = manifests.find((manifest) => manifest.kind === 'ConfigMap')!;
    expect(configMap.metadata.name).toMatch(/^probe-config-[a-z0-9]{10}$/);
    const shards = manifests.find((manifest) => manifest.metadata.name === 'probe-shards')!;
    expect(pod(shards).volumes.find((volume) => volume.name === 'config')?.configMap?.name).toBe(configMap.metadata.name);
    expect(manifests.map((manifest) => manifest.kind).sort()).toEqual(['ConfigMap', 'Job', 'Job', 'PersistentVolumeClaim']);
  });

  it('runs N indexed pods that agree on N, share the reports volume and the config, and take passwords from a Secret', () => {
    const shards = shardsJob();
    const merge = mergeJob();
    expect(shards.apiVersion).toBe('batch/v1');
    expect(shards.spec).toMatchObject({ completionMode: 'Indexed', backoffLimitPerIndex: expect.any(Number) });
    const count = shards.spec.completions as number;
    expect(shards.spec.parallelism).toBe(count);
    const [probe] = pod(shards).containers;
    const [waiter] = pod(merge).initContainers!;
    expect([env(probe!, 'SHARD_COUNT'), env(waiter!, 'SHARD_COUNT')]).toEqual([String(count), String(count)]);
    for (const job of [shards, merge]) {
      expect(pod(job).restartPolicy).toBe('Never');
      expect(pod(job).volumes.find((volume) => volume.name === 'reports')?.persistentVolumeClaim?.claimName).toBe(byKind('PersistentVolumeClaim', 'probe-reports').metadata.name);
    }
    expect(byKind('PersistentVolumeClaim', 'probe-reports').spec.accessModes).toEqual(['ReadWriteMany']);
    expect(pod(shards).volumes.find((volume) => volume.name === 'config')?.configMap?.name).toBe('probe-config');
    expect(probe!.volumeMounts).toContainEqual({ name: 'config', mountPath: '/app/config', readOnly: true });
    expect(env(probe!, 'PROBE_CONFIG')).toBe('/app/config/probe.config.ts');
    // Passwords only by reference; the URLs the config reads are composed from them.
    const secrets = probe!.env!.filter((entry) => entry.valueFrom?.secretKeyRef).map((entry) => entry.name);
    expect(secrets).toEqual(['SHOP_DB_PASSWORD', 'SHOP_CACHE_PASSWORD']);
    expect(env(probe!, 'SHOP_DB_URL')).toContain('$(SHOP_DB_PASSWORD)');
    const config = readFileSync(join(EXAMPLE, 'probe.config.ts'), 'utf8');
    for (const name of config.matchAll(/env\('([A-Z_]+)'\)/g)) expect(env(probe!, name[1]!), name[1]).toBeDefined();
    expect(script(probe!)).toContain('--shard "$((JOB_COMPLETION_INDEX + 1))/$SHARD_COUNT"');
  });

  it("the pods' own shell, run locally: N shard pods succeed whatever the verdict, the waiter sees them, and the merge exits with the verdict of one unsharded run", async (context) => {
    const dir = tempDir(context, 'probe-k8s-');
    const path = `${probeOnPath(dir)}:${process.env.PATH}`;
    const reports = join(dir, 'reports');
    const [probe] = pod(shardsJob()).containers;
    const [waiter] = pod(mergeJob()).initContainers!;
    const [merge] = pod(mergeJob()).containers;
    const count = Number(env(probe!, 'SHARD_COUNT'));
    const base = { PATH: path, REPORT_DIR: reports, SHARD_COUNT: String(count) };

    const pods = await Promise.all(Array.from({ length: count }, (_, index) => sh(script(probe!), {
      ...base, PROBE_CONFIG: 'many.config.ts', JOB_COMPLETION_INDEX: String(index),
    })));
    for (const result of pods) expect(result.code, result.stderr).toBe(0);   // checks failed (exit 1), yet each pod did its job
    expect(readdirSync(reports).sort()).toEqual(Array.from({ length: count }, (_, index) => [`shard-${index}.ndjson`, `shard-${index}.xml`]).flat().sort());

    const waited = await sh(script(waiter!), { ...base, WAIT_TIMEOUT_SECONDS: '0' });
    expect(waited).toMatchObject({ code: 0, stdout: `all ${count} shards finished\n` });
    const merged = await sh(script(merge!), base);
    const single = await runCli(['run', '-c', 'many.config.ts', '--quiet']);
    expect(merged.code).toBe(single.code);
    expect(merged.code).toBe(1);
    expect(merged.stdout).toContain('8 passed, 4 failed, 3 warned, 5 skipped, 0 errored');
    expect(readdirSync(join(reports, 'merged')).sort()).toEqual(['checklist.md', 'junit.xml', 'report.html', 'run.ndjson']);
  });

  it('fails a shard pod whose report is missing (invalid config: exit 2, no retry) and a waiter whose shards never finish', async (context) => {
    const dir = tempDir(context, 'probe-k8s-');
    const path = `${probeOnPath(dir)}:${process.env.PATH}`;
    const reports = join(dir, 'reports');
    const [probe] = pod(shardsJob()).containers;
    const [waiter] = pod(mergeJob()).initContainers!;
    const invalid = await sh(script(probe!), { PATH: path, REPORT_DIR: reports, SHARD_COUNT: '2', JOB_COMPLETION_INDEX: '0', PROBE_CONFIG: 'invalid/timeout-string.config.mjs' });
    expect(invalid.code).toBe(2);
    expect(shardsJob().spec.podFailurePolicy).toMatchObject({ rules: expect.arrayContaining([expect.objectContaining({ action: 'FailIndex', onExitCodes: expect.objectContaining({ values: [2] }) })]) });
    const ok = await sh(script(probe!), { PATH: path, REPORT_DIR: reports, SHARD_COUNT: '2', JOB_COMPLETION_INDEX: '1', PROBE_CONFIG: 'many.config.ts' });
    expect(ok.code).toBe(0);
    const waited = await sh(script(waiter!), { REPORT_DIR: reports, SHARD_COUNT: '2', WAIT_TIMEOUT_SECONDS: '0' });
    expect(waited).toMatchObject({ code: 1, stderr: `gave up after 0s: shard(s) 0 have no complete report in ${reports}\n` });
  });
});
