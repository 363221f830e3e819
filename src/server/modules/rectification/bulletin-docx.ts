import { sql } from 'drizzle-orm';
import { RECT_STATUS_LABELS, type RectStatus } from '../../../domain/rectification-status';
import { type DbOrTx, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { type GongwenBlock, gongwenBuffer } from '../documents/gongwen';
import { assertBulletin } from './policy';
import { campaignOf, overdueSql } from './repo';
import { formatDateProse } from '../../../domain/calendar';

const CN = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const cnIndex = (i: number) => (i < 10 ? CN[i] : i < 20 ? `十${CN[i - 10] ?? ''}` : String(i + 1));

/**
 * 整改进展情况通报 (R-FIX-3) in 公文 layout: totals, then a table of items per unit with owner,
 * deadline and status, overdue marked.
 */
export async function bulletinDocx(db: DbOrTx, user: AuthUser, today: string, campaignId: number) {
  const campaign = await campaignOf(db, campaignId, user);
  assertBulletin(user, campaign.organizerPath);
  const rows = await queryRows<{
    orgId: number;
    orgName: string;
    description: string;
    owner: string | null;
    deadline: string | null;
    status: RectStatus;
    progress: number;
    overdue: boolean;
  }>(
    db,
    sql`
    select i.org_id as "orgId", o.name as "orgName", i.description, i.owner, i.deadline::text as deadline, i.status,
           i.progress, ${overdueSql('i', today)} as overdue
    from rectification_items i join organizations_v_units o on o.id = i.org_id
    where i.campaign_id = ${campaignId} and i.parent_id is null
    order by o.path, i.id`,
  );
  const count = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length;
  const closed = count((r) => r.status === 'closed');
  const overdue = count((r) => r.overdue);
  const units = [...new Map(rows.map((r) => [r.orgId, r.orgName])).entries()];
  const blocks: GongwenBlock[] = [];
  blocks.push({ type: 'heading1', text: '一、总体情况' });
  blocks.push({
    type: 'paragraph',
    text: rows.length
      ? `截至${formatDateProse(today)}，${units.length}个单位共列出整改事项${rows.length}项，` +
        `已验收销号${closed}项，整改中${count((r) => r.status === 'in_progress')}项，待验收${count((r) => r.status === 'pending_verification')}项，` +
        `未开始${count((r) => r.status === 'not_started')}项，完成率${Math.round((closed / rows.length) * 1000) / 10}%。` +
        (overdue ? `其中${overdue}项已超过整改时限，请相关单位抓紧整改。` : '没有超过整改时限的事项。')
      : '本次述职评议考核尚未列出整改事项。',
  });
  if (units.length) blocks.push({ type: 'heading1', text: '二、各单位整改情况' });
  units.forEach(([orgId, name], i) => {
    const own = rows.filter((r) => r.orgId === orgId);
    const done = own.filter((r) => r.status === 'closed').length;
    blocks.push({ type: 'heading2', text: `（${cnIndex(i)}）${name}` });
    blocks.push({
      type: 'paragraph',
      text: `共${own.length}项，已销号${done}项${own.some((r) => r.overdue) ? `，逾期${own.filter((r) => r.overdue).length}项` : ''}。`,
    });
    blocks.push({
      type: 'table',
      header: ['序号', '问题', '责任人', '整改时限', '状态'],
      // Shares of the 156 mm text block, in twips as gongwen.ts expects.
      widths: [8, 46, 14, 16, 16].map((pct) => Math.floor((156 * 56.7 * pct) / 100)),
      rows: own.map((r, j) => [
        j + 1,
        r.description,
        r.owner ?? '—',
        r.deadline ?? '—',
        `${RECT_STATUS_LABELS[r.status]}${r.overdue ? '（逾期）' : ''}${r.status === 'in_progress' ? ` ${r.progress}%` : ''}`,
      ]),
    });
  });
  const buffer = await gongwenBuffer({
    title: `关于${campaign.title}问题整改进展情况的通报`,
    blocks,
    signature: campaign.organizerName,
    date: today,
  });
  return { name: `${campaign.title}整改进展通报.docx`, buffer };
}
