import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCampaign, buildTwoCounties, buildUser, setupTestApp, signIn } from '../factories';

/**
 * "Today" is the Beijing calendar day on every route. Between 00:00 and 08:00 Beijing time the UTC date is still the
 * day before: a phase opened then was stamped yesterday, and a secretary appointed "today" was refused as a future date.
 */
let t: Awaited<ReturnType<typeof setupTestApp>>;
let tree: Awaited<ReturnType<typeof buildTwoCounties>>;

beforeAll(async () => {
  // 2025-12-01 17:00 UTC is 2025-12-02 01:00 in Beijing.
  t = await setupTestApp({ start: new Date('2025-12-01T17:00:00Z') });
  tree = await buildTwoCounties(t.db);
  await buildUser(t.db, { role: 'org_admin', username: 'adminA', scopeOrgId: tree.countyA.id });
});

/** Each test sets the clock it is about and signs in then (a jump outlasts the idle timeout), so order does not matter. */
async function at(now: string) {
  t.clock.set(new Date(now));
  return signIn(t.app, 'adminA');
}
afterAll(async () => t.close());

describe('the Beijing calendar day at 17:00Z and 23:30Z', () => {
  it('a phase opened at 01:00 Beijing time is stamped with that Beijing day', async () => {
    const admin = await at('2025-12-01T17:00:00Z');
    const c = await buildCampaign(t.db, {
      organizerOrgId: tree.countyA.id,
      templateId: '000',
      year: 2025,
      state: 'published',
    });
    // 述职报告 and 实地考核 of plan 000 opened by their date on 12-01; 审核 starts on 12-05: opened early now (decision 018).
    const res = await admin.post(`/api/campaigns/${c.id}/phases/review/open`, { reason: '提前开始审核' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().phases.find((p: { key: string }) => p.key === 'review').openedOn).toBe('2025-12-02');
  });

  it('a secretary who took office today (Beijing) at 07:30 Beijing time is accepted; tomorrow is refused', async () => {
    const admin = await at('2025-12-01T23:30:00Z');
    const put = (tenureStart: string) =>
      admin.put(`/api/orgs/${tree.villageA1.id}/secretary`, { name: '赵新民', position: '书记', tenureStart });
    const today = await put('2025-12-02');
    expect(today.statusCode, today.body).toBe(200);
    const tomorrow = await put('2025-12-03');
    expect(tomorrow.statusCode).toBe(400);
    expect(tomorrow.json().message).toBe('任职时间不能晚于今天');
  });
});
