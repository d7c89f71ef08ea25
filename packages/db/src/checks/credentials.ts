import { randomBytes } from 'node:crypto';
import type { Check } from '@probe/core';
import { ITEMS } from '../checklist.ts';
import { sqlState } from '../errors.ts';
import { listOf } from '../evidence.ts';
import { SCHEMA_FILTER, schemaParam, session, type DbContext, type DbResources } from '../resources.ts';
import { connectClient, type Queryable } from '../session.ts';

interface Role {
  name: string;
  superuser: boolean;
  bypassrls: boolean;
  createrole: boolean;
  createdb: boolean;
  tables: number;
  owned: number;
}

/** What happened to the deliberately wrong password. */
type WrongPassword =
  | { outcome: 'rejected'; sqlstate: string; message: string }
  | { outcome: 'accepted'; trustRules: unknown[] | string }
  | { outcome: 'not tried'; why: string };

/**
 * `db.connection.credentials`: the configured credentials work, a wrong
 * password is rejected (28P01), and the role is not more powerful than an
 * application needs (superuser, BYPASSRLS, owner of every table).
 */
export function credentialsCheck(): Check<DbResources> {
  return {
    id: 'db.connection.credentials',
    title: 'Credentials work, a wrong password is rejected, least privilege',
    checklist: [ITEMS.credentials],
    async run(context) {
      const role = await session(context, (client) => roleOf(client, schemaParam(context)));
      const wrong = context.resources.settings.tryWrongPassword
        ? await tryWrongPassword(context)
        : { outcome: 'not tried', why: 'credentials.tryWrongPassword is false' } as const;
      const findings: string[] = [];
      if (wrong.outcome === 'accepted') findings.push(`the server accepted a wrong password for ${role.name}: pg_hba uses trust (no password check) for this host`);
      if (role.superuser) findings.push(`${role.name} is a superuser: an application role needs far less`);
      if (role.bypassrls) findings.push(`${role.name} bypasses row-level security`);
      if (role.tables > 0 && role.owned === role.tables) findings.push(`${role.name} owns all ${role.tables} tables (it can ALTER and DROP them)`);
      const evidence = {
        role,
        wrong_password: wrong,
        ...(wrong.outcome === 'accepted' ? { reproduce: wrongPasswordCommand(context) } : {}),
      };
      if (findings.length > 0) return { status: 'warn', summary: `credentials work, but ${listOf(findings, 4)}`, evidence };
      const rejected = wrong.outcome === 'rejected' ? `; a wrong password is rejected (${wrong.sqlstate})`
        : wrong.outcome === 'not tried' ? `; wrong password not tried: ${wrong.why}` : '';
      return { status: 'pass', summary: `connected as ${role.name} (not a superuser, owns ${role.owned} of ${role.tables} tables)${rejected}`, evidence };
    },
  };
}

async function roleOf(client: Queryable, schemas: string[] | null): Promise<Role> {
  const { rows } = await client.query<Role>(
    `select r.rolname as name, r.rolsuper as superuser, r.rolbypassrls as bypassrls, r.rolcreaterole as createrole, r.rolcreatedb as createdb,
            t.tables, t.owned
       from pg_roles r,
            lateral (select count(*)::int as tables, count(*) filter (where c.relowner = r.oid)::int as owned
                       from pg_class c join pg_namespace n on n.oid = c.relnamespace
                      where c.relkind in ('r', 'p') and ${SCHEMA_FILTER}) t
      where r.rolname = current_user`,
    [schemas],
  );
  return rows[0]!;
}

/** The configured URL with its password replaced by a random wrong one (undefined without a user name). */
function wrongPasswordUrl(url: string): string | undefined {
  const parsed = new URL(url);
  if (!parsed.username) return undefined;
  parsed.password = `probe-wrong-${randomBytes(6).toString('hex')}`;
  return parsed.toString();
}

function wrongPasswordCommand(context: DbContext): string {
  const parsed = new URL(context.resources.settings.url);
  parsed.password = '';
  return context.redact(`PGPASSWORD=wrong-password psql '${parsed.toString()}' -c 'select 1'`);
}

async function tryWrongPassword(context: DbContext): Promise<WrongPassword> {
  const url = wrongPasswordUrl(context.resources.settings.url);
  if (!url) return { outcome: 'not tried', why: 'the URL names no user' };
  try {
    const client = await connectClient({ ...context.resources.config, connectionString: url }, context.signal);
    await client.end().catch(() => {});
  } catch (error) {
    const state = sqlState(error);
    if (state === '28P01' || state === '28000') return { outcome: 'rejected', sqlstate: state, message: (error as Error).message };
    return { outcome: 'not tried', why: `the attempt failed for another reason: ${(error as Error).message}` };
  }
  return { outcome: 'accepted', trustRules: await trustRules(context) };
}

/** The pg_hba rules with `trust`, when the role may read them (superusers and pg_read_all_settings may not all). */
async function trustRules(context: DbContext): Promise<unknown[] | string> {
  try {
    return await session(context, async (client) => (await client.query(
      `select line_number, type, database, user_name, address, netmask, auth_method from pg_hba_file_rules where auth_method = 'trust' order by line_number`,
    )).rows);
  } catch (error) {
    return `pg_hba_file_rules is not readable by this role: ${(error as Error).message}`;
  }
}
