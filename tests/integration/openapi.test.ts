import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, MODULE_TAGS } from '../../src/domain/error-codes';
import { buildApp } from '../../src/server/app';
import { freshDatabase } from '../setup/db';
import { TEST_COST, testClock } from '../factories';

/**
 * The OpenAPI document describes every route of the live route table (decision 023): a one-line summary, one tag
 * naming its module, and the error codes it can answer from the registry, so an integrator can run a round from the
 * spec alone. A route added without them fails here.
 */
const HIDDEN = new Set([
  'GET /api/openapi.json', // the document itself
  'GET /p/reports/:token', // the public report page: HTML for browsers, its JSON twin is GET /api/public/reports/{token}
]);

let close: () => Promise<void>;
let doc: { paths: Record<string, Record<string, Operation>> };
const routes: { key: string; method: string; url: string }[] = [];

interface Operation {
  summary?: string;
  tags?: string[];
  responses?: Record<
    string,
    {
      description?: string;
      content?: Record<string, { schema?: { properties?: { code?: { enum?: string[] } }; required?: string[] } }>;
    }
  >;
}

beforeAll(async () => {
  const database = await freshDatabase();
  const app = await buildApp({
    database,
    clock: testClock(),
    config: { passwordCost: TEST_COST },
    onRoute: (r: RouteOptions) => {
      for (const method of [r.method].flat()) {
        if (method !== 'HEAD' && r.url.startsWith('/')) routes.push({ key: `${method} ${r.url}`, method, url: r.url });
      }
    },
  });
  await app.ready();
  doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  close = async () => {
    await app.close();
    await database.close();
  };
});
afterAll(async () => close());

const operationOf = (method: string, url: string) => doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];

describe('OpenAPI document over the live route table', () => {
  it('sees the whole API (the route table is enumerated)', () => {
    expect(routes.length).toBeGreaterThan(200);
  });

  it('gives every route a summary, its module tag and its error answers', () => {
    const missing: string[] = [];
    for (const { key, method, url } of routes) {
      if (HIDDEN.has(key)) continue;
      const op = operationOf(method, url);
      if (!op) {
        missing.push(`${key}: not in the document`);
        continue;
      }
      if (!op.summary?.trim() || op.summary.includes('\n')) missing.push(`${key}: no one-line summary`);
      if (op.tags?.length !== 1 || !(MODULE_TAGS as readonly string[]).includes(op.tags[0]!))
        missing.push(`${key}: tags ${JSON.stringify(op.tags)}`);
      const errors = Object.keys(op.responses ?? {}).filter((s) => Number(s) >= 400);
      if (!errors.includes('400') || !errors.includes('500'))
        missing.push(`${key}: error responses ${errors.join(',')}`);
    }
    expect(missing).toEqual([]);
  });

  it('documents each error status with the { code, message } body and the registered codes of that status', () => {
    const op = operationOf('POST', '/api/vote/ballots')!;
    const conflict = op.responses!['409']!;
    const schema = conflict.content!['application/json']!.schema!;
    expect(schema.required).toEqual(['code', 'message']);
    expect(schema.properties!.code!.enum).toContain('CODE_USED');
    expect(conflict.description).toContain('`CODE_USED`');
    for (const [status, r] of Object.entries(op.responses!)) {
      if (!/^[45]\d\d$/.test(status)) continue; // 2xx, and the vote's own '4XX' range entry
      for (const code of r.content!['application/json']!.schema!.properties!.code!.enum!) {
        expect(ERROR_CODES[code as keyof typeof ERROR_CODES]?.status, code).toBe(Number(status));
      }
    }
  });

  it('hides only the routes listed here', () => {
    const hidden = routes.filter(({ method, url }) => !operationOf(method, url)).map((r) => r.key);
    expect(hidden.sort()).toEqual([...HIDDEN].sort());
  });
});
