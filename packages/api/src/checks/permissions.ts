import type { Check } from '@probe/core';
import type { Exchange } from '../client/client.ts';
import { describeExchange } from '../client/curl.ts';
import { bodyOf, positiveCase } from '../cases/build.ts';
import { createdId, itemPath, itemTemplate } from '../cases/created.ts';
import { canWrite, registerCreated, sendAs, whyNoWrites, type ApiContext } from '../context.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import { findOperation, type Operation } from '../spec/operations.ts';
import type { PermissionRule } from '../types.ts';
import { listed, plural, skipped } from './report.ts';
import { fewRequestsTimeout } from './timeouts.ts';

interface Attempt {
  what: string;
  expected: 'allow' | 'deny';
  outcome: 'ok' | 'violated' | 'inconclusive';
  exchange: Exchange;
}

/**
 * `api.auth.permissions`: the declared users × operations matrix holds (allowed → 2xx, denied →
 * 401/403/404), and one user cannot read, change or delete another user's resource created in
 * this run (BOLA/IDOR). Cross-user needs writes; without a declaration it is inferred from the
 * first two `users` and the first collection with a create and an item read.
 */
export function permissionsCheck(options: ResolvedOptions): Check<ApiResources> {
  return {
    id: 'api.auth.permissions',
    title: 'Users reach only what they are allowed to, and never each other\'s resources',
    checklist: ['integration.api.authentication.check-permissions', 'integration.external.integration-security.test-boundaries', 'integration.external.integration-security.monitor-access'],
    timeoutMs: fewRequestsTimeout(options, 4 + (options.permissions?.rules?.length ?? 0)),
    async run(context) {
      const attempts: Attempt[] = [];
      const notes: string[] = [];
      for (const rule of options.permissions?.rules ?? []) {
        const attempt = await checkRule(context, rule);
        if (typeof attempt === 'string') notes.push(attempt);
        else attempts.push(attempt);
      }
      const cross = crossUserPlan(context.resources, options);
      if (cross && !canWrite(context)) notes.push(`cross-user access not tested: ${whyNoWrites(context)}`);
      else if (cross) attempts.push(...await crossUser(context, cross));
      if (attempts.length === 0) return skipped(notes[0] ?? 'no `permissions.rules`, and cross-user access needs two `users` and a collection with create and item read');
      const violated = attempts.filter((attempt) => attempt.outcome === 'violated');
      const inconclusive = attempts.filter((attempt) => attempt.outcome === 'inconclusive');
      const show = (list: Attempt[]) => list.map(({ exchange, ...attempt }) => ({ ...attempt, ...describeExchange(exchange, context.redact) }));
      const evidence = { violations: show(violated), inconclusive: show(inconclusive), checked: attempts.map((attempt) => `${attempt.what}: ${attempt.expected} → ${attempt.exchange.response?.status ?? 'no answer'}`), notes };
      if (violated.length > 0) return { status: 'fail', summary: `${plural(violated.length, 'permission')} violated: ${listed(violated.map((attempt) => `${attempt.what} (${attempt.expected === 'deny' ? 'should be denied' : 'should be allowed'}, got ${attempt.exchange.response?.status ?? 'no answer'})`), 2)}`, evidence };
      if (inconclusive.length > 0) return { status: 'warn', summary: `${plural(attempts.length - inconclusive.length, 'permission')} hold; ${inconclusive.length} inconclusive: ${listed(inconclusive.map((attempt) => attempt.what), 2)}`, evidence };
      return { status: 'pass', summary: `${plural(attempts.length, 'permission')} enforced${notes.length ? ` (${listed(notes, 1)})` : ''}`, evidence };
    },
  };
}

async function checkRule(context: ApiContext, rule: PermissionRule): Promise<Attempt | string> {
  const { resources } = context;
  const operation = findOperation(resources.operations, rule.operation);
  if (!['GET', 'HEAD', 'OPTIONS'].includes(operation.method) && !canWrite(context)) return `${rule.user} ${rule.operation} not tested: ${whyNoWrites(context)}`;
  const identity = rule.user === 'anonymous' ? undefined : resources.identities.get(rule.user);
  const built = positiveCase(operation, { runId: context.runId, parameters: resources.options.parameters ?? {} });
  if (rule.body !== undefined) built.send.json = rule.body;
  const exchange = await sendAs(context, identity, built.send);
  if ((exchange.response?.status ?? 0) < 300 && operation.method === 'POST') registerCreated(context, operation, exchange, `permission rule for ${rule.user}`);
  return judge(`${rule.user} ${rule.operation}`, rule.allow ? 'allow' : 'deny', exchange);
}

function judge(what: string, expected: 'allow' | 'deny', exchange: Exchange): Attempt {
  const status = exchange.response?.status;
  const denied = status === 401 || status === 403 || status === 404;
  const allowed = status !== undefined && status >= 200 && status < 300;
  const outcome = expected === 'allow' ? (allowed ? 'ok' : denied ? 'violated' : 'inconclusive') : (denied ? 'ok' : allowed ? 'violated' : 'inconclusive');
  return { what, expected, outcome, exchange };
}

interface CrossPlan {
  owner: string;
  intruder: string;
  create: Operation;
  item: { path: string; parameter: string };
  body: unknown;
  idPointer?: string;
}

function crossUserPlan(resources: ApiResources, options: ResolvedOptions): CrossPlan | undefined {
  const declared = options.permissions?.crossUser;
  const users = Object.keys(options.users ?? {});
  const owner = declared?.owner ?? users[0];
  const intruder = declared?.intruder ?? users[1];
  if (!owner || !intruder) return undefined;
  const creates = resources.operations.filter((operation) => operation.method === 'POST' && !operation.path.includes('{'));
  const create = declared?.collection ? findOperation(resources.operations, `POST ${declared.collection}`)
    : creates.find((operation) => resources.operations.some((other) => other.method === 'GET' && other.path === itemTemplate(resources.operations, operation.path)?.path));
  if (!create) return undefined;
  const template = declared?.item ? { path: declared.item, parameter: /\{([^}]+)\}/.exec(declared.item)?.[1] ?? 'id' } : itemTemplate(resources.operations, create.path);
  if (!template) return undefined;
  return { owner, intruder, create, item: template, body: declared?.body ?? bodyOf(create, resources.runId) ?? {}, ...(declared?.idPointer ? { idPointer: declared.idPointer } : {}) };
}

async function crossUser(context: ApiContext, plan: CrossPlan): Promise<Attempt[]> {
  const { resources } = context;
  const owner = resources.identities.get(plan.owner);
  const intruder = resources.identities.get(plan.intruder);
  const created = await sendAs(context, owner, { method: 'POST', path: plan.create.path, json: plan.body });
  if ((created.response?.status ?? 0) >= 300) return [{ what: `${plan.owner} creates in ${plan.create.path}`, expected: 'allow', outcome: 'inconclusive', exchange: created }];
  const id = createdId(created, plan.item.parameter, plan.idPointer);
  registerCreated(context, { ...plan.create, path: plan.create.path }, created, `cross-user test by ${plan.owner}`);
  if (id === undefined) return [{ what: `${plan.owner} creates in ${plan.create.path} (no id in the answer)`, expected: 'allow', outcome: 'inconclusive', exchange: created }];
  const path = itemPath(plan.item.path, id);
  const attempts: Attempt[] = [judge(`${plan.owner} reads own ${path}`, 'allow', await sendAs(context, owner, { path }))];
  attempts.push(judge(`${plan.intruder} reads ${plan.owner}'s ${path}`, 'deny', await sendAs(context, intruder, { path })));
  const methods = new Set(resources.operations.filter((operation) => operation.path === plan.item.path).map((operation) => operation.method));
  const update = methods.has('PATCH') ? 'PATCH' : methods.has('PUT') ? 'PUT' : undefined;
  if (update) attempts.push(judge(`${plan.intruder} ${update}s ${plan.owner}'s ${path}`, 'deny', await sendAs(context, intruder, { method: update, path, json: plan.body })));
  if (methods.has('DELETE')) attempts.push(judge(`${plan.intruder} deletes ${plan.owner}'s ${path}`, 'deny', await sendAs(context, intruder, { method: 'DELETE', path })));
  const still = await sendAs(context, owner, { path });
  if ((still.response?.status ?? 0) >= 300) attempts.push({ what: `${plan.owner}'s ${path} is gone after ${plan.intruder}'s attempts`, expected: 'deny', outcome: 'violated', exchange: still });
  if (methods.has('DELETE')) {
    const removed = await sendAs(context, owner, { method: 'DELETE', path });
    if ((removed.response?.status ?? 500) < 300) for (const resource of resources.registry.pending()) if (resource.itemPath === path) resource.deleted = true;
  }
  return attempts;
}
