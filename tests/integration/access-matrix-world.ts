/**
 * The world, route enumeration and request builder shared by the access-matrix tests (issue 8).
 *
 * What the matrix proves, and what it does not:
 * - Fastify runs, in order: onRequest (session lookup, idle timeout, CSRF, and the 401 for anonymous callers of a
 *   non-public route — src/server/http/session.ts) → body parsing → zod validation → the handler, where the module
 *   policy decides. So a 400 from zod is reached BEFORE the policy and proves nothing about access. Every request of
 *   the matrix therefore carries a body/query generated from the route's own zod schema (valid shape, ids of county A
 *   objects) so the policy is reached; a denied call must answer 401, 403 or 404 — any other status (400, 409, …) is
 *   reported as "inconclusive" and fails the test, so a silent validation short-cut cannot pass for a denial.
 * - "Allowed" state changes are NOT executed (they would consume the world); allowed reads are executed and must
 *   not fail with 5xx. The proof is: every (route, user) pair outside the declared allow-list is refused.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, RouteOptions } from 'fastify';
import { z } from 'zod';
import { buildApp } from '../../src/server/app';
import { queryRows, type Db } from '../../src/server/db/connect';
import type { AuthUser } from '../../src/server/http/context';
import { createFromTemplate } from '../../src/server/modules/assessment/create-checklist';
import { createTeam } from '../../src/server/modules/assessment/manage-teams';
import { createSurvey } from '../../src/server/modules/surveys/manage-survey';
import { addRespondent } from '../../src/server/modules/surveys/respondents';
import {
  buildCampaign,
  buildMeeting,
  buildSecretary,
  buildUser,
  openPhases,
  signIn,
  TEST_COST,
  testClock,
  type Session,
} from '../factories';
import { freshDatabase } from '../setup/db';
import { buildBallotWorld, roundWithCodes } from './ballots-fixtures';
import { upload } from './reports-helpers';

export interface RouteInfo {
  method: string;
  url: string;
  key: string; // "METHOD url"
  public: boolean;
  multipart: boolean;
  body?: z.ZodType;
  query?: z.ZodType;
}

/**
 * Users of the matrix: the same nine roles in county A (owner of every object) and county B — the six business roles
 * and the three 三员 (系统管理员, 安全管理员, 安全审计员, decision 019) — a system-level auditor (no scope), anonymous.
 */
export const A_USERS = [
  'adminA',
  'townAdminA',
  'secretaryA',
  'leaderA',
  'assessorA',
  'observerA',
  'sysAdminA',
  'secAdminA',
  'auditorA',
] as const;
export const B_USERS = [
  'adminB',
  'townAdminB',
  'secretaryB',
  'leaderB',
  'assessorB',
  'observerB',
  'sysAdminB',
  'secAdminB',
  'auditorB',
] as const;
export const USERS = [...A_USERS, ...B_USERS, 'auditor'] as const;
export type UserKey = (typeof USERS)[number];

export async function setupMatrixApp() {
  const database = await freshDatabase();
  const clock = testClock();
  const routes: RouteInfo[] = [];
  const app = await buildApp({
    database,
    clock,
    // Many sign-ins from one address; the login limits are re-checked in access-session.test.ts.
    config: { passwordCost: TEST_COST, loginRatePerMinute: 10_000, idleTimeoutMinutes: 24 * 60 },
    onRoute: (r: RouteOptions) => {
      for (const method of [r.method].flat()) {
        if (method === 'HEAD' || !r.url.startsWith('/')) continue;
        const schema = (r.schema ?? {}) as { body?: z.ZodType; querystring?: z.ZodType; consumes?: string[] };
        routes.push({
          method,
          url: r.url,
          key: `${method} ${r.url}`,
          public: !!(r.config as { public?: boolean } | undefined)?.public,
          multipart: !!schema.consumes?.includes('multipart/form-data'),
          body: schema.body,
          query: schema.querystring,
        });
      }
    },
  });
  await app.ready();
  return {
    app,
    database,
    db: database.db,
    clock,
    routes,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

const one = async <T>(db: Db, q: ReturnType<typeof sql>) => (await queryRows<T>(db, q))[0];

/**
 * Two counties. County A owns one object of every kind the API addresses by id; county B has the same roles, its own
 * campaign and meeting, so its users are real scoped users, not empty accounts.
 */
export async function buildMatrixWorld(app: FastifyInstance, db: Db) {
  const w = await buildBallotWorld(db, app);
  const mk = (
    role: Parameters<typeof buildUser>[1]['role'],
    username: string,
    o: { scopeOrgId?: number; orgId?: number },
  ) => buildUser(db, { role, username, ...o });
  await mk('assessor', 'assessorA', { scopeOrgId: w.townA.id });
  await mk('observer', 'observerA', { scopeOrgId: w.countyA.id });
  await mk('auditor', 'auditor', {}); // system level: every subtree and the rows of none
  for (const [c, county] of [
    ['A', w.countyA.id],
    ['B', w.countyB.id],
  ] as const) {
    await mk('sys_admin', `sysAdmin${c}`, { scopeOrgId: county });
    await mk('security_admin', `secAdmin${c}`, { scopeOrgId: county });
    await mk('auditor', `auditor${c}`, { scopeOrgId: county });
  }
  await buildSecretary(db, w.villageB1.id, { name: '乙村书记' });
  await mk('org_admin', 'townAdminB', { scopeOrgId: w.townB.id });
  await mk('secretary', 'secretaryB', { orgId: w.villageB1.id });
  await mk('leader', 'leaderB', { scopeOrgId: w.countyB.id });
  await mk('assessor', 'assessorB', { scopeOrgId: w.townB.id });
  await mk('observer', 'observerB', { scopeOrgId: w.countyB.id });
  // Every phase open in both counties, so the matrix measures access and nothing else (R-CAMP-8 is tested on its own).
  await openPhases(db, w.campaign.id, ['summary'], app.deps.clock.now());
  const campaignB = await buildCampaign(db, {
    organizerOrgId: w.townB.id,
    templateId: '003',
    state: 'published',
    reporterOrgIds: [w.villageB1.id],
    open: ['summary'],
    openAt: app.deps.clock.now(),
  });
  // County A's campaign title starts with 甲 like every other county A name, so the runner's leak check (no 甲 in an
  // answer to county B) also catches a campaign title shown across counties (issue 15).
  await db.execute(sql`update campaigns set title = '甲县' || title where id = ${w.campaign.id}`);
  await buildMeeting(db, { campaignId: campaignB.id });

  const s: Record<UserKey, Session> = {
    adminA: w.sessions.admin,
    townAdminA: w.sessions.admin2,
    secretaryA: w.sessions.secretary,
    leaderA: w.sessions.leader,
    adminB: w.sessions.otherCounty,
  } as Record<UserKey, Session>;
  for (const u of [
    'assessorA',
    'observerA',
    'auditor',
    'townAdminB',
    'secretaryB',
    'leaderB',
    'assessorB',
    'observerB',
    'sysAdminA',
    'secAdminA',
    'auditorA',
    'sysAdminB',
    'secAdminB',
    'auditorB',
  ] as const) {
    s[u] = await signIn(app, u);
  }
  const admin = s.adminA;
  const ok = async (p: Promise<{ statusCode: number; body: string }>, what: string) => {
    const res = await p;
    if (res.statusCode !== 200) throw new Error(`world: ${what}: ${res.statusCode} ${res.body}`);
    return JSON.parse(res.body);
  };

  // Objects of county A, created through the API where a route exists (so they are what users really make).
  const adminUser: AuthUser = {
    id: w.users.admin.id,
    username: w.users.admin.username,
    displayName: 'A',
    role: 'org_admin',
    scopeOrgId: w.countyA.id,
    orgId: null,
    scopePath: w.countyA.path,
  };
  const actor = { actorId: adminUser.id, actorName: 'matrix', ip: null, at: new Date() };
  const assessor = await one<{ id: number }>(db, sql`select id from users where username = 'assessorA'`);
  const observer = await one<{ id: number }>(db, sql`select id from users where username = 'observerA'`);
  const { id: checklistId } = await createFromTemplate(db, adminUser, actor, w.campaign.id, { kind: 'village' });
  const { id: teamId } = await createTeam(db, adminUser, actor, w.campaign.id, {
    name: '第一考评组',
    leaderName: '组长',
    memberIds: [assessor.id],
    reporterIds: [w.r1.id],
  });
  const checklistItem = await one<{ id: number }>(
    db,
    sql`select id from checklist_items where checklist_id = ${checklistId} order by id limit 1`,
  );
  const survey = await createSurvey(db, adminUser, actor, w.campaign.id, { title: '满意度调查', sampleSize: 2 });
  await addRespondent(db, adminUser, actor, survey.id, {
    reporterId: w.r1.id,
    category: '群众',
    phone: '13900001111',
    name: '王建国',
  });
  const respondent = await one<{ id: number }>(
    db,
    sql`select id from survey_respondents where survey_id = ${survey.id} limit 1`,
  );
  const { round } = await roundWithCodes(db, w, { codes: { committee: 3 } });
  const report = await ok(s.secretaryA.post('/api/reports/open', { reporterId: w.r1.id }), 'report');
  const attachment = await upload(
    s.secretaryA,
    `/api/reports/${report.id}/attachments`,
    Buffer.from('%PDF-1.4 matrix'),
    '附件.pdf',
    'application/pdf',
  );
  const rectItem = await ok(
    admin.post(`/api/campaigns/${w.campaign.id}/rectification/items`, {
      orgId: w.villageA1.id,
      description: '巡察反馈：记录不规范',
      owner: '张书记',
      responsibleLeader: '李镇长',
      measures: '逐月检查',
      deadline: '2026-12-31',
    }),
    'rectification item',
  );
  const priorItem = await ok(
    admin.post(`/api/reporters/${w.r1.id}/rectification-items`, { text: '流动党员管理松散' }),
    'prior item',
  );
  const commitment = await ok(
    s.secretaryA.post(`/api/campaigns/${w.campaign.id}/commitments`, { content: '一、年底前完成阵地改造。' }),
    'commitment',
  );
  const agendaItem = await one<{ id: number }>(
    db,
    sql`select id from meeting_agenda_items where meeting_id = ${w.meeting.id} order by position limit 1`,
  );
  const comment = await ok(
    admin.post(`/api/meetings/${w.meeting.id}/comments`, {
      agendaItemId: agendaItem.id,
      kind: 'comment',
      authorName: '王',
      authorRole: '书记',
      body: '点评',
    }),
    'comment',
  );
  const member = await ok(
    admin.post(`/api/orgs/${w.villageA1.id}/members`, {
      name: '李党员',
      gender: 'male',
      birthDate: '1980-01-01',
      joinDate: '2005-07-01',
      role: 'member',
    }),
    'member',
  ).catch(() => null);
  const visit = await ok(
    admin.post(`/api/campaigns/${w.campaign.id}/visits`, {
      orgId: w.villageA1.id,
      visitedOn: '2025-11-18',
      visitors: '组织部',
      seen: '查看台账',
    }),
    'visit',
  );
  const observed = await ok(
    admin.post(`/api/campaigns/${w.campaign.id}/observers`, {
      userIds: [observer.id],
      subCampaignIds: [w.campaign.id],
    }),
    'observer',
  ).catch(() => ({ ids: [] as number[] }));

  const ids = {
    orgA: w.villageA1.id,
    countyA: w.countyA.id,
    townA: w.townA.id,
    campaign: w.campaign.id,
    meeting: w.meeting.id,
    reporter: w.r1.id,
    round: round.id,
    checklist: checklistId,
    checklistItem: checklistItem.id,
    team: teamId,
    survey: survey.id,
    respondent: respondent.id,
    report: report.id as number,
    attachment: attachment.statusCode === 200 ? (attachment.json().id as number) : 999_999,
    rectItem: rectItem.id as number,
    priorItem: priorItem.id as number,
    commitment: commitment.id as number,
    comment: comment.id as number,
    member: (member?.id as number | undefined) ?? 999_999,
    visit: visit.id as number,
    assignment: observed.ids[0] ?? 999_999,
    user: w.users.secretary.id,
    agendaItem: agendaItem.id,
  };
  return { w, s, ids, campaignB };
}
export type MatrixWorld = Awaited<ReturnType<typeof buildMatrixWorld>>;

/** Fills path params: `:id` by the resource segment before it, other names by name. Unmapped ones are reported. */
export function resolvePath(url: string, ids: MatrixWorld['ids'], unmapped: Set<string>): string {
  const idBySegment: Record<string, number> = {
    orgs: ids.orgA,
    'import-jobs': 999_999,
    members: ids.member,
    users: ids.user,
    campaigns: ids.campaign,
    tasks: ids.assignment,
    meetings: ids.meeting,
    'ballot-rounds': ids.round,
    'result-follow-ups': 999_999,
    checklists: ids.checklist,
    'checklist-items': ids.checklistItem,
    'assessment-teams': ids.team,
    reporters: ids.reporter,
    reports: ids.report,
    surveys: ids.survey,
    items: ids.rectItem,
    commitments: ids.commitment,
    'theme-drafts': 999_999,
  };
  const byName: Record<string, number | string> = {
    rid: ids.reporter,
    reporterId: ids.reporter,
    key: 'reports',
    action: 'open',
    assignmentId: ids.assignment,
    visitId: ids.visit,
    tallyId: 999_999,
    photoId: 999_999,
    versionNo: 1,
    attachmentId: ids.attachment,
    respondentId: ids.respondent,
    evidenceId: 999_999,
    commentId: ids.comment,
    orgId: ids.orgA,
    token: 'not-a-real-token-0000000000000000',
  };
  const parts = url.split('/');
  return parts
    .map((p, i) => {
      if (!p.startsWith(':')) return p;
      const name = p.slice(1);
      const prev = parts[i - 1]!;
      if (name === 'id') {
        if (prev in idBySegment) return String(idBySegment[prev]);
        unmapped.add(`${url} :id after ${prev}`);
        return String(ids.campaign);
      }
      if (name === 'itemId') {
        if (prev === 'items') return String(ids.checklistItem); // assessment photos
        if (prev === 'rectification-items') return String(ids.priorItem);
        return '999999'; // key-management items: none exist before a lock
      }
      if (name in byName) return String(byName[name]);
      unmapped.add(`${url} :${name}`);
      return String(ids.campaign);
    })
    .join('/');
}

/** A value of the JSON-schema shape, preferring county A ids for id-like property names so existence checks pass. */
export function sampleFromSchema(schema: unknown, ids: MatrixWorld['ids'], key = ''): unknown {
  const s = schema as Record<string, any>;
  if (!s || typeof s !== 'object') return null;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.anyOf || s.oneOf) {
    const opts = (s.anyOf ?? s.oneOf) as any[];
    return sampleFromSchema(opts.find((o) => o.type !== 'null') ?? opts[0], ids, key);
  }
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x: unknown) => sampleFromSchema(x, ids, key)));
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
  const idHints: Record<string, number> = {
    orgId: ids.orgA,
    reporterId: ids.reporter,
    campaignId: ids.campaign,
    meetingId: ids.meeting,
    surveyId: ids.survey,
    agendaItemId: ids.agendaItem,
    itemId: ids.checklistItem,
    checklistId: ids.checklist,
    userId: ids.user,
    scopeOrgId: ids.townA,
    parentId: ids.townA,
    teamId: ids.team,
    leaderUserId: ids.user,
  };
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of (s.required as string[] | undefined) ?? []) out[k] = sampleFromSchema(s.properties?.[k], ids, k);
      return out;
    }
    case 'array': {
      const n = Math.max(s.minItems ?? 0, key.endsWith('Ids') ? 1 : 0);
      return Array.from({ length: n }, () => sampleFromSchema(s.items, ids, key.replace(/Ids$/, 'Id')));
    }
    case 'string': {
      if (s.format === 'uuid') return '7d444840-9dc0-41b1-9d5e-7c7e1c0a5b2e';
      if (s.format === 'date' || /date|On$|deadline|tenure/i.test(key)) return '2025-11-01';
      if (s.format === 'date-time') return '2026-01-05T02:00:00.000Z';
      if (s.format === 'email') return 'a@example.com';
      if (s.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return '2026-01-05';
      if (/password/i.test(key)) return 'Strong#Pass99';
      if (s.pattern) return 'abc123';
      if (/phone/i.test(key)) return '13900002222';
      const len = Math.max(s.minLength ?? 1, 1);
      return '测'.repeat(Math.min(len, s.maxLength ?? len));
    }
    case 'integer':
    case 'number': {
      if (key in idHints) return idHints[key];
      if (/Id$/.test(key)) return ids.campaign;
      if (typeof s.minimum === 'number') return s.minimum;
      if (typeof s.exclusiveMinimum === 'number') return s.exclusiveMinimum + 1;
      return 1;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return null;
  }
}

const toJson = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** Hand-written bodies where the generated shape does not pass a route's own refinements (see the 400 report). */
export const BODY_OVERRIDES: Record<string, (ids: MatrixWorld['ids']) => unknown> = {
  'POST /api/checklists/:id/items': () => ({ section: '组织建设', title: '三会一课', maxPoints: 5, method: 'site' }),
  'POST /api/surveys/:id/respondents': (ids) => ({
    reporterId: ids.reporter,
    name: '李四',
    category: '群众',
    phone: '13900003333',
  }),
  'POST /api/reports/reminders': (ids) => ({ reporterIds: [ids.reporter] }),
  'POST /api/campaigns/:id/commitments': () => ({ content: '一、年底前完成阵地改造。' }),
};
const QUERY_OVERRIDES: Record<string, (ids: MatrixWorld['ids']) => string> = {
  'GET /api/campaigns/:id/rectification/inbox': (ids) => `orgId=${ids.orgA}`,
};
// The smallest PNG header: photo routes check the type of the file before the caller's access.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082',
  'hex',
);

export function buildRequest(r: RouteInfo, ids: MatrixWorld['ids'], unmapped: Set<string>): InjectOptions {
  let url = resolvePath(r.url, ids, unmapped);
  if (QUERY_OVERRIDES[r.key]) {
    url += `?${QUERY_OVERRIDES[r.key]!(ids)}`;
  } else if (r.query) {
    const q = sampleFromSchema(toJson(r.query), ids) as Record<string, unknown>;
    const qs = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString();
    if (qs) url += `?${qs}`;
  }
  const opts: InjectOptions = { method: r.method as InjectOptions['method'], url };
  if (r.multipart) {
    const boundary = '----matrix';
    const photo = r.url.includes('/photos');
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${photo ? 'a.png' : 'a.xlsx'}"\r\nContent-Type: ${photo ? 'image/png' : 'application/octet-stream'}\r\n\r\n`;
    opts.payload = Buffer.concat([
      Buffer.from(head),
      photo ? PNG : Buffer.from('PK'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    opts.headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  } else if (r.method !== 'GET' && r.method !== 'DELETE') {
    opts.payload = (BODY_OVERRIDES[r.key]?.(ids) ?? (r.body ? sampleFromSchema(toJson(r.body), ids) : {})) as object;
  }
  return opts;
}

/** Row counts of every table, to show a sweep of refused requests changed nothing. */
export async function tableCounts(db: Db, except: string[] = []) {
  const tables = await queryRows<{ t: string }>(
    db,
    sql`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const out: Record<string, number> = {};
  for (const { t } of tables) {
    if (except.includes(t) || t.startsWith('__drizzle')) continue;
    out[t] = (await one<{ n: number }>(db, sql.raw(`select count(*)::int as n from "${t}"`))).n;
  }
  return out;
}
