import { describe, expect, it } from 'vitest';
import { parseHostList, poolOptions } from './hosts';
import { isRetryableDbError } from './retryable';

describe('multi-host connection strings', () => {
  it('splits the hosts and drops target_session_attrs for node-postgres', () => {
    const l = parseHostList(
      'postgres://app:pw@db1:5433,db2:5434/shuping?target_session_attrs=read-write&sslmode=disable',
    );
    expect(l.hosts).toEqual([
      { host: 'db1', port: 5433 },
      { host: 'db2', port: 5434 },
    ]);
    expect(l.attrs).toBe('read-write');
    expect(l.url).toBe('postgres://app:pw@db1:5433/shuping?sslmode=disable');
  });

  it('takes default ports, IPv6 brackets and one host', () => {
    expect(parseHostList('postgresql://u@[::1]:6000,h2/db').hosts).toEqual([
      { host: '::1', port: 6000 },
      { host: 'h2', port: 5432 },
    ]);
    const one = parseHostList('postgres://postgres@127.0.0.1:5432/postgres');
    expect(one).toMatchObject({ hosts: [{ host: '127.0.0.1', port: 5432 }], attrs: 'any' });
  });

  it('refuses an unknown session kind and a bad port', () => {
    expect(() => parseHostList('postgres://h1,h2/db?target_session_attrs=writer')).toThrow(/target_session_attrs/);
    expect(() => parseHostList('postgres://h1:99999/db')).toThrow(/主机列表/);
  });

  it('passes a plain URL on untouched and gives a list its own client', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/postgres?options=-c%20jit%3Doff';
    expect(poolOptions(url, { max: 2, applicationName: 'x' })).toEqual({
      connectionString: url,
      max: 2,
      application_name: 'x',
    });
    const multi = poolOptions('postgres://a:1,b:2/db?target_session_attrs=read-write', {
      max: 2,
      applicationName: 'x',
    }) as { Client?: unknown; onConnect?: unknown };
    expect(typeof multi.Client).toBe('function');
    expect(typeof multi.onConnect).toBe('function');
  });
});

describe('retryable database errors', () => {
  it('knows a failover from a bad request, through drizzle causes', () => {
    expect(isRetryableDbError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(
      isRetryableDbError(new Error('Failed query', { cause: Object.assign(new Error('y'), { code: '25006' }) })),
    ).toBe(true);
    expect(isRetryableDbError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isRetryableDbError(Object.assign(new Error('dup'), { code: '23505' }))).toBe(false);
    expect(isRetryableDbError(new Error('boom'))).toBe(false);
  });
});
