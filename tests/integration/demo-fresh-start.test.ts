import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../src/domain/calendar';
import { type Phase, phaseStatus } from '../../src/domain/campaign-phases';
import { queryRows } from '../../src/server/db/connect';
import { DEMO_PASSWORD, seedDemo, seedDemoRounds } from '../../src/server/db/demo-seed';
import { demoReportSections } from '../../src/server/db/demo-round';
import { setupTestApp, signIn, TEST_COST, type Session } from '../factories';

process.env.BALLOT_CODE_SECRET ??= 'ab'.repeat(32);

/**
 * What a newcomer meets on the first `npm start` (README, "Demo"): the demo seeded on an empty database at a fixed
 * "today", checked through the API as the demo accounts see it. Two todays: 01:30 Beijing time on 7 December (the
 * UTC date is still the 6th) and a March day, when the round under way is the previous year's.
 */
type World = Awaited<ReturnType<typeof freshStart>>;

async function freshStart(now: Date) {
  const t = await setupTestApp({ start: now });
  await seedDemo(t.db, { now, passwordCost: TEST_COST });
  const seeded = await seedDemoRounds(t.database, { now });
  const s: Record<string, Session> = {};
  for (const u of ['admin', 'town_admin', 'secretary', 'liuhe_admin', 'liuhe_11'])
    s[u] = await signIn(t.app, u, DEMO_PASSWORD);
  return { t, s, seeded, today: shanghaiDate(now) };
}

// The two demo worlds take minutes to seed, so the tests share them (beforeAll) and run in any order: only the
// secretary's test writes (its own report, opened and submitted), and no other test reads that report or needs it unwritten
// (nothing is overdue either way; the digest reads grades and rectification items).
const worlds: World[] = [];
beforeAll(async () => {
  worlds.push(await freshStart(new Date('2026-12-06T17:30:00Z')));
  worlds.push(await freshStart(new Date('2027-03-15T02:00:00Z')));
}, 600_000);
afterAll(async () => {
  for (const w of worlds) await w.t.close();
});

describe('demo on the first start: a round under way, nothing overdue', () => {
  it("R-CAMP-8 every campaign's phases fit today: none open past its end, none left unopened past its end", () => {
    return Promise.all(
      worlds.map(async (w) => {
        const rows = await queryRows<{ id: number; title: string; state: string; phases: Phase[] }>(
          w.t.db,
          sql`select id, title, state, phases from campaigns`,
        );
        // Phases open and end by their dates (decision 018): none may be held open by an override past its end, and the
        // county's round is under way — its 述职报告 phase open today.
        const held = rows
          .filter((c) => c.state === 'published')
          .flatMap((c) =>
            c.phases
              .filter((p) => p.state === 'open' && p.end < w.today)
              .map((p) => `${c.title} ${p.key} ${p.state} ${p.end}`),
          );
        expect(held, w.today).toEqual([]);
        const county = rows.find((c) => Number(c.id) === w.seeded.campaignId);
        expect(county && phaseStatus(county.phases.find((p) => p.key === 'reports')!, w.today), w.today).toBe('open');
        expect(rows.filter((c) => c.state === 'closed').map((c) => c.title)).toHaveLength(19); // last year: county + 18 sub-rounds
      }),
    );
  });

  it("the county's progress, review queue, rectification items and follow-ups show nothing overdue", async () => {
    for (const w of worlds) {
      const progress = (await w.s.admin.get(`/api/campaigns/${w.seeded.campaignId}/progress`)).json();
      expect(progress.summary.overdue, w.today).toBe(0);
      expect(progress.summary.byFiling).toMatchObject({ acknowledged: 2, returned: 1, filed: 1, pending: 14 });
      expect((await w.s.admin.get('/api/reports/queue?overdue=true')).json().total, w.today).toBe(0);
      const items = (await w.s.admin.get('/api/rectification/items?overdue=true')).json();
      expect(items.items, w.today).toEqual([]);
      const followUps = (
        await w.s.liuhe_admin.get(`/api/campaigns/${w.seeded.liuhe}/results/follow-ups?overdue=true`)
      ).json();
      expect(followUps.items, w.today).toEqual([]);
      const summary = (await w.s.liuhe_admin.get(`/api/campaigns/${w.seeded.liuhe}/summary`)).json();
      expect(summary.overdue, w.today).toBe(false);
      const tasks = (await w.s.secretary.get('/api/reports/tasks')).json().items;
      expect(tasks.filter((x: { overdue: boolean }) => x.overdue)).toEqual([]);
    }
  });

  it("R-REP-3 R-PREP-1 the demo secretary has a report to write, due in five days, with last year's open item to answer; writes and submits it", async () => {
    for (const w of worlds) {
      const [task] = (await w.s.secretary.get('/api/reports/tasks')).json().items;
      expect(task).toMatchObject({
        task: '撰写述职报告',
        orgName: '青山镇前进村党总支',
        reportId: null,
        dueDate: addDays(w.today, 5),
        daysLeft: 5,
        overdue: false,
      });
      const opened = await w.s.secretary.post('/api/reports/open', { reporterId: task.reporterId });
      expect(opened.statusCode, opened.body).toBe(200);
      const id = opened.json().id;
      const view = (await w.s.secretary.get(`/api/reports/${id}`)).json();
      // Carried over from last year's closed round: the long-term item still open and the 巡察 finding.
      const refs = view.rules.rectificationItems.map(
        (i: { reference: string; text: string }) => `${i.reference} ${i.text}`,
      );
      expect(refs.some((r: string) => r.includes('村集体经济薄弱'))).toBe(true);
      expect(refs.some((r: string) => r.includes('（巡视巡察反馈）'))).toBe(true);
      const sections = demoReportSections('前进村', 0);
      const answers = view.rules.rectificationItems
        .map((i: { reference: string }) => `关于${i.reference}：已按整改措施推进，情况见上。`)
        .join('');
      sections[3]!.text += answers;
      expect((await w.s.secretary.put(`/api/reports/${id}/sections`, { sections })).statusCode).toBe(200);
      const submitted = await w.s.secretary.post(`/api/reports/${id}/transitions`, { action: 'submit' });
      expect(submitted.statusCode, submitted.body).toBe(200);
      expect(submitted.json().state).toBe('submitted');
    }
  });

  it('柳河镇 finished early: meeting closed, results released, evaluation locked, flags and rectification under way', async () => {
    for (const w of worlds) {
      const [m] = await queryRows<{ state: string; round: string; evaluation: string }>(
        w.t.db,
        sql`
        select m.state, r.state as round, e.state as evaluation from meetings m
        join ballot_rounds r on r.meeting_id = m.id and r.mode = 'real' join evaluations e on e.campaign_id = m.campaign_id
        where m.campaign_id = ${w.seeded.liuhe}`,
      );
      expect(m).toEqual({ state: 'closed', round: 'released', evaluation: 'locked' });
      const flags = (await w.s.liuhe_admin.get(`/api/campaigns/${w.seeded.liuhe}/results/flags`)).json().items;
      expect(flags.map((f: { code: string }) => f.code)).toEqual(
        expect.arrayContaining(['no_excellent', 'talk', 'rectify']),
      );
      const items = (await w.s.liuhe_admin.get(`/api/rectification/items?campaignId=${w.seeded.liuhe}`)).json();
      expect(items.summary.byStatus.in_progress).toBeGreaterThanOrEqual(6);
      // A village secretary sees the result and the items of its own organization.
      const own = (await w.s.liuhe_11.get(`/api/rectification/items?campaignId=${w.seeded.liuhe}`)).json();
      expect(own.items.length).toBeGreaterThan(0);
    }
  });

  it('is deterministic apart from the dates: the same grades, scores and items whatever the day', async () => {
    const digest = async (w: World) =>
      queryRows(
        w.t.db,
        sql`
      select o.code, er.composite::text, er.final_grade,
             (select string_agg(i.description, '|' order by i.id) from rectification_items i where i.org_id = o.id) as items
      from evaluation_results er join campaign_reporters r on r.id = er.reporter_id join organizations o on o.id = r.org_id
      order by o.code`,
      );
    expect(await digest(worlds[0]!)).toEqual(await digest(worlds[1]!));
    const grades = (await digest(worlds[0]!)).map((r) => (r as { final_grade: string }).final_grade);
    expect(new Set(grades).size).toBeGreaterThanOrEqual(3); // 好, 较好 and 一般 at least
  });
});
