import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { only, pgUrl, probeResults } from '../../test/fixtures.ts';

const ID = 'db.connection.credentials';

describe.skipIf(!pgUrl)(`${ID} on a server that trusts 127.0.0.1`, () => {
  it('warns that a wrong password was accepted (pg_hba trust) and that the role is a superuser', async () => {
    const result = only(await probeResults({ url: pgUrl!.replace('postgres@', 'postgres:any-password@') }, [ID]), ID);
    expect(result.status).toBe('warn');
    expect(result.summary).toMatch(/^credentials work, but the server accepted a wrong password for postgres: pg_hba uses trust \(no password check\) for this host, postgres is a superuser: an application role needs far less/);
    expect(result.evidence.reproduce).toBe("PGPASSWORD=wrong-password psql 'postgres://postgres@127.0.0.1:5432/test' -c 'select 1'");
    expect((result.evidence.wrong_password as { outcome: string }).outcome).toBe('accepted');
    expect(JSON.stringify(result)).not.toContain('any-password');
  });

  it('does not try a wrong password when told not to', async () => {
    const result = only(await probeResults({ url: pgUrl!, credentials: { tryWrongPassword: false } }, [ID]), ID);
    expect(result.evidence.wrong_password).toEqual({ outcome: 'not tried', why: 'credentials.tryWrongPassword is false' });
  });
});

describe(`${ID} on a server that enforces passwords`, () => {
  const cluster = inject('privatePg');
  const suffix = randomBytes(3).toString('hex');
  const admin = 'url' in cluster ? new pg.Pool({ connectionString: cluster.url, max: 1 }) : undefined;
  const userUrl = (role: string, password: string) => {
    const url = new URL('url' in cluster ? cluster.url : 'postgres://x');
    url.username = role;
    url.password = password;
    return url.toString();
  };
  beforeAll(async () => {
    await admin?.query(`create role app_${suffix} login password 'app-pass'; create role owner_${suffix} login password 'owner-pass'`);
  });
  afterAll(async () => {
    await admin?.query(`drop schema if exists cred_${suffix} cascade; drop schema if exists own_${suffix} cascade; drop owned by app_${suffix}, owner_${suffix}; drop role app_${suffix}; drop role owner_${suffix}`);
    await admin?.end();
  });

  it.skipIf(!admin)('passes for a least-privilege role: the wrong password is rejected with 28P01', async () => {
    await admin!.query(`create schema cred_${suffix}; create table cred_${suffix}.t (id int primary key); grant usage on schema cred_${suffix} to app_${suffix}`);
    const result = only(await probeResults({ url: userUrl(`app_${suffix}`, 'app-pass'), schemas: [`cred_${suffix}`] }, [ID]), ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toBe(`connected as app_${suffix} (not a superuser, owns 0 of 1 tables); a wrong password is rejected (28P01)`);
    expect(result.evidence.wrong_password).toMatchObject({ outcome: 'rejected', sqlstate: '28P01' });
  });

  it.skipIf(!admin)('warns when the role owns every table it works with', async () => {
    await admin!.query(`grant create on database postgres to owner_${suffix}`);
    const owner = new pg.Client({ connectionString: userUrl(`owner_${suffix}`, 'owner-pass') });
    await owner.connect();
    await owner.query(`create schema own_${suffix}; create table own_${suffix}.a (id int primary key); create table own_${suffix}.b (id int primary key)`);
    await owner.end();
    const result = only(await probeResults({ url: userUrl(`owner_${suffix}`, 'owner-pass'), schemas: [`own_${suffix}`] }, [ID]), ID);
    expect(result.status).toBe('warn');
    expect(result.summary).toBe(`credentials work, but owner_${suffix} owns all 2 tables (it can ALTER and DROP them)`);
  });
});
