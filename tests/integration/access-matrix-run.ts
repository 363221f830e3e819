import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Session } from '../factories';
import { ALLOW, SEES_COUNTY_A, STATE_BEFORE_ACCESS, STREAMS } from './access-matrix-allow';
import {
  A_USERS,
  B_USERS,
  buildRequest,
  type MatrixWorld,
  type RouteInfo,
  type UserKey,
  USERS,
} from './access-matrix-world';

const BUSINESS_A: readonly string[] = ['adminA', 'townAdminA', 'secretaryA', 'leaderA', 'assessorA', 'observerA'];

// A signed-in user is refused with 403 or 404; a 401 would mean the session was lost mid-run, which proves nothing.
const DENIED = new Set([403, 404]);

export interface MatrixResult {
  table: Array<{ route: string; allowed: number; denied: number; skipped: number }>;
  unexpectedAllows: string[];
  inconclusive: string[];
  anonymousNot401: string[];
  allowedFailures: string[];
  unclassified: string[];
  unmapped: string[];
  leaks: string[];
  /** Out-of-scope callers answered otherwise than for an id that does not exist (the answer tells that it exists). */
  existenceLeaks: string[];
  stateFirst: number;
  requests: number;
}

/** An event stream never ends: take the status from the headers, then drop the connection. */
async function streamStatus(s: Session, req: InjectOptions) {
  const ac = new AbortController();
  const res = await s.request({ ...req, payloadAsStream: true, signal: ac.signal } as InjectOptions);
  let body = '';
  if (res.statusCode !== 200) for await (const chunk of res.stream()) body += chunk;
  ac.abort();
  return { statusCode: res.statusCode, body };
}

/**
 * Callers for whom every county A object is out of scope: county B's six roles and the auditor (no organization
 * scope). Refused, they must get exactly the answer of an id that exists nowhere, or the status tells them which
 * county A ids exist (issue 15). County A's own roles may get a 403: the object is theirs to know about.
 */
// County B's users (its 三员 included): county A's objects are off their branch and must answer like missing ids. The
// system-level auditor's scope is everything, so a refusal there is about its duty and may say 403.
const OUT_OF_SCOPE: readonly UserKey[] = [...B_USERS];
/** An id no table holds (the world's objects number in the hundreds). */
const MISSING_ID = 999_999;

/** Null when the refusal equals the answer for missing ids, else both answers. */
async function differsFromMissing(
  s: Session,
  got: { statusCode: number; body: string },
  missingReq: InjectOptions,
  stream: boolean,
) {
  const other = stream ? await streamStatus(s, missingReq) : await s.request(missingReq);
  const answer = (x: { statusCode: number; body: string }) => {
    try {
      const { code, message } = JSON.parse(x.body) as { code?: string; message?: string };
      return `${x.statusCode} ${code} ${message}`;
    } catch {
      return `${x.statusCode} ${x.body.slice(0, 120)}`;
    }
  };
  return answer(got) === answer(other) ? null : `${answer(got)} ≠ missing id: ${answer(other)}`;
}

/** Who may succeed on a route: the declared roles of county A (county B users and the auditor only where named). */
export function allowedUsers(key: string): Set<UserKey> {
  const spec = ALLOW[key];
  if (spec === undefined) return new Set();
  return new Set(spec.split(/\s+/).filter(Boolean) as UserKey[]);
}

/**
 * Calls every route as every user with county A's ids. Anonymous first (must be 401), then county B (never 2xx),
 * then county A's own roles and the auditor: outside the allow-list never 2xx; inside it reads run, writes are skipped.
 */
export async function runMatrix(
  app: FastifyInstance,
  world: MatrixWorld,
  routes: RouteInfo[],
  part: { index: number; of: number },
): Promise<MatrixResult> {
  const res: MatrixResult = {
    table: [],
    unexpectedAllows: [],
    inconclusive: [],
    anonymousNot401: [],
    allowedFailures: [],
    unclassified: [],
    unmapped: [],
    leaks: [],
    existenceLeaks: [],
    stateFirst: 0,
    requests: 0,
  };
  const unmapped = new Set<string>();
  const missingIds = Object.fromEntries(Object.keys(world.ids).map((k) => [k, MISSING_ID])) as MatrixWorld['ids'];
  // Parts split the routes in registration order so each test file stays well under a minute.
  const mine = routes.filter((r) => !r.public);
  const size = Math.ceil(mine.length / part.of);
  for (const r of mine.slice(part.index * size, (part.index + 1) * size)) {
    if (!(r.key in ALLOW)) res.unclassified.push(r.key);
    const allow = allowedUsers(r.key);
    const req = buildRequest(r, world.ids, unmapped);
    // The same request with every id (path, body, query) replaced by one that exists nowhere.
    const missingReq = buildRequest(r, missingIds, new Set());
    const row = { route: r.key, allowed: 0, denied: 0, skipped: 0 };
    const anon = await app.inject(req);
    res.requests++;
    if (anon.statusCode !== 401) res.anonymousNot401.push(`${r.key} → ${anon.statusCode} ${anon.body.slice(0, 120)}`);
    else row.denied++;
    for (const u of [...B_USERS, 'auditor', ...A_USERS] as UserKey[]) {
      const isAllowed = allow.has(u);
      if (isAllowed && (r.method !== 'GET' || STREAMS.has(r.key))) {
        row.allowed++;
        row.skipped++;
        continue;
      }
      const got = STREAMS.has(r.key) ? await streamStatus(world.s[u], req) : await world.s[u].request(req);
      res.requests++;
      const code = got.statusCode;
      // Asking again with ids that exist nowhere is one more request, made only for a user outside the scope.
      const probeMissing = () => {
        res.requests++;
        return differsFromMissing(world.s[u], got, missingReq, STREAMS.has(r.key));
      };
      if (isAllowed) {
        row.allowed++;
        if (code >= 500) res.allowedFailures.push(`${r.key} as ${u} → ${code} ${got.body.slice(0, 160)}`);
        // County B, the system-level auditor and county A's 三员 may list their own things; county A's names (all start
        // with 甲) must not appear — except where reading them is the user's duty (SEES_COUNTY_A).
        if (code < 300 && !BUSINESS_A.includes(u) && !SEES_COUNTY_A[r.key]?.includes(u) && got.body.includes('甲')) {
          res.leaks.push(`${r.key} as ${u} shows county A data`);
        }
      } else if (code < 300) {
        res.unexpectedAllows.push(`${r.key} as ${u} → ${code}`);
      } else if (OUT_OF_SCOPE.includes(u) && (await probeMissing())) {
        res.existenceLeaks.push(
          `${r.key} as ${u}: ${await differsFromMissing(world.s[u], got, missingReq, STREAMS.has(r.key))}`,
        );
      } else if (STATE_BEFORE_ACCESS[r.key] === code) {
        res.stateFirst++;
      } else if (!DENIED.has(code)) {
        res.inconclusive.push(`${r.key} as ${u} → ${code} ${got.body.slice(0, 160)}`);
      } else {
        row.denied++;
      }
    }
    res.table.push(row);
  }
  res.unmapped = [...unmapped];
  return res;
}

export function printSummary(title: string, m: MatrixResult) {
  const lines = m.table.map(
    (t) =>
      `${t.route.padEnd(72)} ${String(t.allowed).padStart(3)} allowed (${t.skipped} writes not run) ${String(t.denied).padStart(3)} denied`,
  );
  const allowed = m.table.reduce((a, t) => a + t.allowed, 0),
    denied = m.table.reduce((a, t) => a + t.denied, 0);
  console.log(
    [
      `== ${title}: ${m.table.length} routes × ${USERS.length + 1} users (incl. anonymous), ${m.requests} requests`,
      ...lines,
      `== totals: allowed ${allowed}, denied ${denied}, unexpected allows ${m.unexpectedAllows.length}, state-before-access ${m.stateFirst}, inconclusive ${m.inconclusive.length}, unclassified ${m.unclassified.length}`,
      ...(m.unmapped.length ? ['unmapped params (filled with the county A campaign id):', ...m.unmapped] : []),
    ].join('\n'),
  );
}
