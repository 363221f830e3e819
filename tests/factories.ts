import { eq } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/server/app';
import type { Db } from '../src/server/db/connect';
import { organizations, secretaries, users } from '../src/server/db/schema';
import type { AppConfig } from '../src/server/http/context';
import { hashPassword, type HashCost } from '../src/server/modules/auth/password-hash';
import type { Role } from '../src/domain/roles';
import type { AuthUser } from '../src/server/http/context';
import { startPhases, type PhaseKey, type PhasePlan } from '../src/domain/campaign-phases';
import { freshDatabase } from './setup/db';

/** Cheap hashing in tests only; production keeps the memory-hard default. */
export const TEST_COST: HashCost = { N: 1024, r: 8, p: 1 };
export const TEST_PASSWORD = 'Test#Pass2025';

/** The test clock's default start: 2025-11-20 10:00 in Beijing. */
export const TEST_START = new Date('2025-11-20T02:00:00Z');

export function testClock(start = TEST_START) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms: number) => void (now += ms),
    set: (d: Date) => void (now = d.getTime()),
  };
}

export async function setupTestApp(opts: { config?: Partial<AppConfig>; start?: Date } = {}) {
  const database = await freshDatabase();
  const clock = testClock(opts.start);
  const app = await buildApp({ database, clock, config: { passwordCost: TEST_COST, ...opts.config } });
  return {
    app,
    database,
    db: database.db,
    clock,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

let seq = 0;
export async function buildOrg(
  db: Db,
  o: {
    parent?: { id: number; path: string; depth: number };
    name?: string;
    code?: string;
    kind?: string;
    sector?: string;
    level?: string;
  } = {},
) {
  seq++;
  const [row] = await db
    .insert(organizations)
    .values({
      parentId: o.parent?.id ?? null,
      name: o.name ?? `测试党组织${seq}`,
      code: o.code ?? `T${seq}-${Math.random().toString(36).slice(2, 8)}`,
      kind: o.kind ?? 'branch',
      sector: o.sector ?? 'rural',
      level: o.level ?? 'grassroots',
      path: '',
      depth: o.parent ? o.parent.depth + 1 : 0,
    })
    .returning();
  const path = `${o.parent?.path ?? '/'}${row.id}/`;
  const [saved] = await db.update(organizations).set({ path }).where(eq(organizations.id, row.id)).returning();
  return saved;
}

export async function buildSecretary(db: Db, orgId: number, o: { name?: string; tenureStart?: string } = {}) {
  const [row] = await db
    .insert(secretaries)
    .values({ orgId, name: o.name ?? '张书记', position: '书记', tenureStart: o.tenureStart ?? '2020-01-01' })
    .returning();
  return row;
}

export async function buildUser(
  db: Db,
  o: { role: Role; username?: string; scopeOrgId?: number; orgId?: number; password?: string },
) {
  const [row] = await db
    .insert(users)
    .values({
      username: o.username ?? `u${++seq}`,
      displayName: `用户${seq}`,
      role: o.role,
      passwordHash: await hashPassword(o.password ?? TEST_PASSWORD, TEST_COST),
      scopeOrgId: o.scopeOrgId ?? null,
      orgId: o.orgId ?? null,
    })
    .returning();
  return row;
}

/**
 * Two counties, each with a township and two villages: the smallest tree that shows scoping. `codePrefix` lets a test
 * build its own copy in a shared database (organization codes are unique).
 */
export async function buildTwoCounties(db: Db, { codePrefix = '' }: { codePrefix?: string } = {}) {
  const org = (x: Parameters<typeof buildOrg>[1] & { code: string }) =>
    buildOrg(db, { ...x, code: `${codePrefix}${x.code}` });
  const countyA = await org({ name: '甲县委', code: 'A', kind: 'committee', sector: 'organ', level: 'county' });
  const townA = await org({ parent: countyA, name: '甲一镇党委', code: 'A-T1', kind: 'committee', level: 'township' });
  const villageA1 = await org({ parent: townA, name: '甲一镇东村党支部', code: 'A-T1-V1' });
  const villageA2 = await org({ parent: townA, name: '甲一镇西村党支部', code: 'A-T1-V2' });
  const countyB = await org({ name: '乙县委', code: 'B', kind: 'committee', sector: 'organ', level: 'county' });
  const townB = await org({ parent: countyB, name: '乙一镇党委', code: 'B-T1', kind: 'committee', level: 'township' });
  const villageB1 = await org({ parent: townB, name: '乙一镇南村党支部', code: 'B-T1-V1' });
  return { countyA, townA, villageA1, villageA2, countyB, townB, villageB1 };
}

export interface Session {
  cookie: string;
  csrf: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

export async function signIn(app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed for ${username}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'sp_sid')!;
  const csrf = res.json().csrfToken as string;
  const request = (opts: InjectOptions) =>
    app.inject({ ...opts, headers: { cookie: `sp_sid=${cookie.value}`, 'x-csrf-token': csrf, ...opts.headers } });
  return {
    cookie: cookie.value,
    csrf,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, body) => request({ method: 'POST', url, payload: body as object }),
    patch: (url, body) => request({ method: 'PATCH', url, payload: body as object }),
    put: (url, body) => request({ method: 'PUT', url, payload: body as object }),
    delete: (url) => request({ method: 'DELETE', url }),
  };
}

/**
 * Makes the campaign's phases up to and including `keys` open on `at`'s day (R-CAMP-8) through the organizer's own
 * use case (changePhase), as an organizer would: a phase still to come is opened early with a reason, one whose end
 * has passed is extended, one closed is reopened; phases open by their dates are left alone. The phases before the
 * ones asked for are opened too, as the order of the round requires. Every override is audited like a real one.
 */
export async function openPhases(db: Db, campaignId: number, keys: PhaseKey[], at: Date = TEST_START) {
  const { openPhasesThrough } = await import('../src/server/modules/campaigns/transition-phase');
  const { getCampaign } = await import('../src/server/modules/campaigns/repo');
  const { organizer } = await getCampaign(db, campaignId);
  const user: AuthUser = {
    id: 0,
    username: 'test-organizer',
    displayName: '测试组织员',
    role: 'org_admin',
    scopeOrgId: organizer.id,
    orgId: null,
    scopePath: organizer.path,
  };
  await openPhasesThrough(
    db,
    user,
    { actorId: null, actorName: '测试组织员', ip: null, at },
    campaignId,
    keys,
    '测试准备：按需提前开启或延长阶段',
  );
}

/**
 * A campaign row straight from a template (no HTTP), for tests of modules that need one.
 * `reporterOrgIds` are inserted as reporters to the organizer (first tier, current secretary not snapshotted).
 * `phases` replaces the template's phase plan; `open` opens phases of a published campaign (openPhases) on `openAt`.
 */
export async function buildCampaign(
  db: Db,
  o: {
    organizerOrgId: number;
    templateId?: string;
    year?: number;
    state?: 'draft' | 'published' | 'closed' | 'archived';
    parentId?: number;
    reporterOrgIds?: number[];
    phases?: PhasePlan[];
    completeBy?: string;
    open?: PhaseKey[];
    openAt?: Date;
  },
) {
  const { buildFromTemplate } = await import('../src/domain/campaign-templates');
  const { campaigns, campaignReporters } = await import('../src/server/db/schema');
  const built = buildFromTemplate(o.templateId ?? '002', o.year ?? 2025);
  const settings = o.phases ? { ...built.settings, phases: o.phases } : built.settings;
  const [row] = await db
    .insert(campaigns)
    .values({
      organizerOrgId: o.organizerOrgId,
      year: o.year ?? 2025,
      title: built.title,
      templateId: built.templateId,
      settings,
      phases: startPhases(settings.phases),
      scopeMatch: { subtreeOf: o.organizerOrgId },
      state: o.state ?? 'draft',
      parentId: o.parentId ?? null,
      filingState: o.parentId ? 'pending' : 'not_required',
      completeBy: o.completeBy ?? null,
    })
    .returning();
  const tierKey = built.settings.reporterTiers[0].key;
  if (o.reporterOrgIds?.length) {
    await db.insert(campaignReporters).values(
      o.reporterOrgIds.map((orgId) => ({
        campaignId: row.id,
        orgId,
        reportToOrgId: o.organizerOrgId,
        tierKey,
      })),
    );
  }
  if (o.open?.length) await openPhases(db, row.id, o.open, o.openAt);
  return row;
}

/** One campaign reporter row (role 'downward' = 下评, R-CAMP-4) in the tier given. */
export async function buildReporter(
  db: Db,
  o: {
    campaignId: number;
    orgId: number;
    reportToOrgId: number;
    tierKey: string;
    role?: 'reporter' | 'downward';
    writtenOnly?: boolean;
    secretaryId?: number;
  },
) {
  const { campaignReporters } = await import('../src/server/db/schema');
  const [row] = await db
    .insert(campaignReporters)
    .values({
      campaignId: o.campaignId,
      orgId: o.orgId,
      reportToOrgId: o.reportToOrgId,
      tierKey: o.tierKey,
      role: o.role ?? 'reporter',
      writtenOnly: o.writtenOnly ?? false,
      secretaryId: o.secretaryId ?? null,
    })
    .returning();
  return row;
}

/** A 述职评议会 row of a campaign, without agenda. */
export async function buildMeeting(
  db: Db,
  o: { campaignId: number; title?: string; meetingDate?: string; place?: string },
) {
  const { meetings } = await import('../src/server/db/schema');
  const [row] = await db
    .insert(meetings)
    .values({
      campaignId: o.campaignId,
      title: o.title ?? '述职评议会',
      meetingDate: o.meetingDate ?? '2026-01-10',
      place: o.place ?? '会议室',
    })
    .returning();
  return row;
}
