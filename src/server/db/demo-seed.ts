import { sql } from 'drizzle-orm';
import { type Db, queryRows } from './connect';
import { committeeMembers, organizations, secretaries, users } from './schema';
import { hashPassword, type HashCost } from '../modules/auth/password-hash';
import type { Role } from '../../domain/roles';
import { shanghaiDate } from '../../domain/calendar';
import type { Database } from './connect';
import { demoCalendar, rng, seedDemoLastYear, seedDemoYear } from './demo-round';

/** Fictional demo data. Deterministic (seeded) so screenshots and tests agree across machines. */
export const DEMO_PASSWORD = 'Demo@2025!';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '建国志明海军丽华秀英春梅文杰永强红霞晓东玉兰国庆德胜桂芳卫东小平宏伟新民淑珍振华金凤立新俊峰雪梅爱民光辉彩霞亚楠思远静怡浩然子涵雨轩';
const PLACE =
  '青山 白水 柳河 石桥 东岗 西营 南塘 北坡 杏林 桃源 枫树 松岭 梨园 马场 龙泉 凤鸣 清溪 槐荫 苇塘 沙河 红土 长岭 金沟 银杏 望山 古城 新集 双庙 三合 五里'.split(
    ' ',
  );
const VILLAGE =
  '前进 团结 胜利 和平 幸福 光明 红星 新华 建设 东风 永丰 丰收 太平 兴隆 长青 向阳 富民 联合 康乐 安居'.split(' ');
const ORGANS =
  '县纪委监委机关 县委办公室 县政府办公室 县委组织部 县委宣传部 县委统战部 县发展和改革局 县教育局 县公安局 县民政局 县财政局 县人力资源和社会保障局 县自然资源局 县住房和城乡建设局 县交通运输局 县水利局 县农业农村局 县卫生健康委员会 县市场监督管理局 县医疗保障局'.split(
    ' ',
  );
const ENTERPRISES =
  '清河鑫源农业科技有限公司 清河华康食品有限公司 清河远航物流有限公司 清河绿野生态农业合作社 清河恒通建材有限公司 清河瑞丰纺织有限公司 清河天成电子有限公司 清河万家乐超市有限公司'.split(
    ' ',
  );
const SOCIAL = '清河县个体劳动者协会 清河县律师协会 清河县志愿者协会 清河县社会工作服务中心'.split(' ');
const SCHOOLS =
  '马克思主义学院 文学院 历史文化学院 经济管理学院 法学院 数学与统计学院 物理与电子工程学院 化学化工学院 生命科学学院 计算机科学学院 机关党委 后勤与资产管理处'.split(
    ' ',
  );

interface NewOrg {
  key: string;
  parentKey: string | null;
  name: string;
  code: string;
  kind: string;
  sector: string;
  level: string;
  secretary?: boolean;
}

function buildTree(): NewOrg[] {
  const out: NewOrg[] = [];
  const add = (o: NewOrg) => {
    out.push({ secretary: true, ...o });
    return o.key;
  };

  const county = add({
    key: 'QH',
    parentKey: null,
    name: '中共清河县委员会',
    code: 'QH',
    kind: 'committee',
    sector: 'organ',
    level: 'county',
  });
  PLACE.slice(0, 16).forEach((p, t) => {
    const isStreet = t === 15;
    const town = add({
      key: `QH-T${t + 1}`,
      parentKey: county,
      name: isStreet ? `中共${p}街道工作委员会` : `中共${p}镇委员会`,
      code: `QH-T${String(t + 1).padStart(2, '0')}`,
      kind: isStreet ? 'working_committee' : 'committee',
      sector: 'rural',
      level: 'township',
    });
    const villages = isStreet ? 0 : 10 + (t % 3);
    for (let v = 0; v < villages; v++) {
      const big = v % 4 === 0;
      add({
        key: `${town}-V${v + 1}`,
        parentKey: town,
        name: `${p}镇${VILLAGE[v]}村党${big ? '总支' : '支部'}`,
        code: `QH-T${String(t + 1).padStart(2, '0')}-V${String(v + 1).padStart(2, '0')}`,
        kind: big ? 'general_branch' : 'branch',
        sector: 'rural',
        level: 'grassroots',
      });
    }
    const communities = isStreet ? 5 : t % 4 === 0 ? 2 : 1;
    for (let c = 0; c < communities; c++) {
      add({
        key: `${town}-C${c + 1}`,
        parentKey: town,
        name: `${p}${isStreet ? '街道' : '镇'}${VILLAGE[19 - c]}社区党支部`,
        code: `QH-T${String(t + 1).padStart(2, '0')}-C${String(c + 1).padStart(2, '0')}`,
        kind: 'branch',
        sector: 'community',
        level: 'grassroots',
      });
    }
  });
  const organWc = add({
    key: 'QH-JZ',
    parentKey: county,
    name: '中共清河县直属机关工作委员会',
    code: 'QH-JZ',
    kind: 'organ_working_committee',
    sector: 'organ',
    level: 'county',
  });
  ORGANS.forEach((n, i) =>
    add({
      key: `QH-JZ-${i + 1}`,
      parentKey: organWc,
      name: `${n}机关党支部`,
      code: `QH-JZ-${String(i + 1).padStart(2, '0')}`,
      kind: 'branch',
      sector: 'organ',
      level: 'grassroots',
    }),
  );
  const commWc = add({
    key: 'QH-SQ',
    parentKey: county,
    name: '中共清河县社区工作委员会',
    code: 'QH-SQ',
    kind: 'working_committee',
    sector: 'community',
    level: 'county',
  });
  for (let i = 0; i < 6; i++) {
    add({
      key: `QH-SQ-${i + 1}`,
      parentKey: commWc,
      name: `城关${VILLAGE[i + 8]}社区党委`,
      code: `QH-SQ-${String(i + 1).padStart(2, '0')}`,
      kind: 'committee',
      sector: 'community',
      level: 'grassroots',
    });
  }
  const npWc = add({
    key: 'QH-FG',
    parentKey: county,
    name: '中共清河县非公有制经济组织和社会组织工作委员会',
    code: 'QH-FG',
    kind: 'working_committee',
    sector: 'non_public',
    level: 'county',
  });
  ENTERPRISES.forEach((n, i) =>
    add({
      key: `QH-FG-E${i + 1}`,
      parentKey: npWc,
      name: `${n}党支部`,
      code: `QH-FG-E${String(i + 1).padStart(2, '0')}`,
      kind: 'branch',
      sector: 'non_public',
      level: 'grassroots',
    }),
  );
  SOCIAL.forEach((n, i) =>
    add({
      key: `QH-FG-S${i + 1}`,
      parentKey: npWc,
      name: `${n}党支部`,
      code: `QH-FG-S${String(i + 1).padStart(2, '0')}`,
      kind: 'branch',
      sector: 'social_org',
      level: 'grassroots',
    }),
  );
  add({
    key: 'QH-YY',
    parentKey: county,
    name: '清河县人民医院党委',
    code: 'QH-YY',
    kind: 'committee',
    sector: 'institution',
    level: 'grassroots',
  });
  // Two organizations without a secretary, so the "nothing silently skipped" lists have something to show.
  add({
    key: 'QH-JZ-NEW',
    parentKey: organWc,
    name: '县数据局机关党支部（新组建）',
    code: 'QH-JZ-21',
    kind: 'branch',
    sector: 'organ',
    level: 'grassroots',
    secretary: false,
  });
  add({
    key: 'QH-FG-NEW',
    parentKey: npWc,
    name: '清河县快递行业联合党支部（新组建）',
    code: 'QH-FG-E09',
    kind: 'branch',
    sector: 'non_public',
    level: 'grassroots',
    secretary: false,
  });

  // A neighbouring county: its admin must never see 清河 (scoped access).
  const bl = add({
    key: 'BL',
    parentKey: null,
    name: '中共北岭县委员会',
    code: 'BL',
    kind: 'committee',
    sector: 'organ',
    level: 'county',
  });
  PLACE.slice(20, 24).forEach((p, t) => {
    const town = add({
      key: `BL-T${t + 1}`,
      parentKey: bl,
      name: `中共${p}乡委员会`,
      code: `BL-T${String(t + 1).padStart(2, '0')}`,
      kind: 'committee',
      sector: 'rural',
      level: 'township',
    });
    for (let v = 0; v < 5; v++) {
      add({
        key: `${town}-V${v + 1}`,
        parentKey: town,
        name: `${p}乡${VILLAGE[v + 5]}村党支部`,
        code: `BL-T${String(t + 1).padStart(2, '0')}-V${String(v + 1).padStart(2, '0')}`,
        kind: 'branch',
        sector: 'rural',
        level: 'grassroots',
      });
    }
  });

  const uni = add({
    key: 'DS',
    parentKey: null,
    name: '中共东山大学委员会',
    code: 'DSU',
    kind: 'committee',
    sector: 'university',
    level: 'grassroots',
  });
  SCHOOLS.forEach((s, i) => {
    const tier = add({
      key: `DS-${i + 1}`,
      parentKey: uni,
      name: i < 8 ? `${s}分党委` : `${s}党总支`,
      code: `DSU-${String(i + 1).padStart(2, '0')}`,
      kind: i < 8 ? 'sub_committee' : 'general_branch',
      sector: 'university',
      level: 'grassroots',
    });
    const branches = [
      '教工第一党支部',
      '教工第二党支部',
      '本科生第一党支部',
      '本科生第二党支部',
      '研究生党支部',
      '离退休党支部',
    ];
    branches.forEach((b, j) =>
      add({
        key: `${tier}-${j + 1}`,
        parentKey: tier,
        name: `${s}${b}`,
        code: `DSU-${String(i + 1).padStart(2, '0')}-${j + 1}`,
        kind: 'branch',
        sector: 'university',
        level: 'grassroots',
      }),
    );
  });
  return out;
}

const isoDay = shanghaiDate;

export async function isDatabaseEmpty(db: Db) {
  const row = (await queryRows<{ any: boolean }>(db, sql`select exists(select 1 from organizations) as any`))[0]!;
  return !row.any;
}

/** Loads the demo county, neighbouring county and university with their secretaries and accounts. */
export async function seedDemo(db: Db, opts: { now: Date; passwordCost?: HashCost }) {
  const rand = rng(20251226);
  const pick = <T>(xs: readonly T[] | string) => xs[Math.floor(rand() * xs.length)] as T;
  const person = () => pick<string>(SURNAMES) + pick<string>(GIVEN) + (rand() < 0.6 ? pick<string>(GIVEN) : '');
  const tree = buildTree();
  const passwordHash = await hashPassword(DEMO_PASSWORD, opts.passwordCost);

  const ids = new Map<string, { id: number; path: string; depth: number }>();
  await db.transaction(async (tx) => {
    for (const o of tree) {
      const parent = o.parentKey ? ids.get(o.parentKey)! : null;
      const row = (
        await tx
          .insert(organizations)
          .values({
            parentId: parent?.id ?? null,
            name: o.name,
            code: o.code,
            kind: o.kind,
            sector: o.sector,
            level: o.level,
            path: '',
            depth: parent ? parent.depth + 1 : 0,
          })
          .returning({ id: organizations.id })
      )[0]!;
      const path = `${parent?.path ?? '/'}${row.id}/`;
      await tx.update(organizations).set({ path }).where(sql`id = ${row.id}`);
      ids.set(o.key, { id: row.id, path, depth: parent ? parent.depth + 1 : 0 });
    }
    const secRows = [];
    const memberRows = [];
    let n = 0;
    for (const o of tree) {
      if (!o.secretary) continue;
      n++;
      const orgId = ids.get(o.key)!.id;
      // Every 25th secretary took office less than three months ago (R-REP-5 needs such cases).
      const start =
        n % 25 === 7
          ? new Date(opts.now.getTime() - (20 + Math.floor(rand() * 50)) * 86_400_000)
          : new Date(Date.UTC(2014 + Math.floor(rand() * 11), Math.floor(rand() * 12), 1 + Math.floor(rand() * 27)));
      if (n % 9 === 0) {
        const prevStart = new Date(Date.UTC(2008 + Math.floor(rand() * 5), 2, 1));
        secRows.push({
          orgId,
          name: person(),
          position: '书记',
          tenureStart: isoDay(prevStart),
          tenureEnd: isoDay(start),
          phone: null,
        });
      }
      secRows.push({
        orgId,
        name: person(),
        position: o.level === 'grassroots' ? '书记' : '党委书记',
        tenureStart: isoDay(start),
        tenureEnd: null,
        phone: `13${String(100000000 + Math.floor(rand() * 899999999))}`,
      });
      const positions =
        o.level === 'grassroots'
          ? ['副书记', '组织委员', '宣传委员']
          : ['副书记', '组织委员', '宣传委员', '纪检委员', '统战委员'];
      for (const position of positions) memberRows.push({ orgId, name: person(), position, phone: null });
    }
    await tx.insert(secretaries).values(secRows);
    for (let i = 0; i < memberRows.length; i += 500)
      await tx.insert(committeeMembers).values(memberRows.slice(i, i + 500));

    const accounts: { username: string; displayName: string; role: Role; scope?: string; org?: string }[] = [
      { username: 'admin', displayName: '清河县委组织部管理员', role: 'org_admin', scope: 'QH' },
      { username: 'town_admin', displayName: '青山镇党委组织委员', role: 'org_admin', scope: 'QH-T1' },
      { username: 'secretary', displayName: '青山镇前进村书记', role: 'secretary', org: 'QH-T1-V1' },
      { username: 'leader', displayName: '清河县委分管领导', role: 'leader', scope: 'QH' },
      { username: 'assessor', displayName: '清河县考评组成员', role: 'assessor', scope: 'QH' },
      { username: 'observer', displayName: '上级组织部观察员', role: 'observer', scope: 'QH' },
      { username: 'auditor', displayName: '清河县安全审计员', role: 'auditor', scope: 'QH' },
      { username: 'beiling_admin', displayName: '北岭县委组织部管理员', role: 'org_admin', scope: 'BL' },
      { username: 'univ_admin', displayName: '东山大学党委组织部管理员', role: 'org_admin', scope: 'DS' },
      // 三员 at system level (no scope: every county and the university; decision 019).
      { username: 'sysadmin', displayName: '系统管理员', role: 'sys_admin' },
      { username: 'secadmin', displayName: '安全管理员', role: 'security_admin' },
      { username: 'sysauditor', displayName: '系统安全审计员', role: 'auditor' },
      // 柳河镇 ran its round early (demo-round.ts): its organizer and the secretaries of its twelve villages.
      { username: 'liuhe_admin', displayName: '柳河镇党委组织委员', role: 'org_admin', scope: 'QH-T3' },
      ...Array.from({ length: 12 }, (_, v) => ({
        username: `liuhe_${String(v + 1).padStart(2, '0')}`,
        displayName: `柳河镇${VILLAGE[v]}村书记`,
        role: 'secretary' as const,
        org: `QH-T3-V${v + 1}`,
      })),
    ];
    // The demo passwords are published in README, so they are not "set by an administrator": no forced change.
    await tx.insert(users).values(
      accounts.map((a) => ({
        username: a.username,
        displayName: a.displayName,
        role: a.role,
        passwordHash,
        passwordChangedAt: opts.now,
        scopeOrgId: a.scope ? ids.get(a.scope)!.id : null,
        orgId: a.org ? ids.get(a.org)!.id : null,
      })),
    );
  });
  return { organizations: tree.length };
}

/**
 * 清河县's round of the year under way, from the county template (002), dated from `now`: published, 青山镇 has filed
 * its plan, 白水镇's was returned, the others are pending; the demo checklist, 考评组 and survey. Through the same use
 * cases as the API, so the audit log shows how it came about. End-to-end specs that drive the rest themselves use this;
 * the product's first start uses seedDemoRounds.
 */
export async function seedDemoCampaign(db: Db, opts: { now: Date }) {
  const { campaignId, subCampaigns } = await seedDemoYear(db, demoCalendar(opts.now), { living: null });
  return { campaignId, subCampaigns };
}

/**
 * What `npm start` loads on an empty database (docs: README, "Demo"): last year's round closed, then this year's
 * under way — 青山镇 reporting (the `secretary` has a report to write), 柳河镇 done early (meeting, released results,
 * locked evaluation, flags, rectification in progress), 石桥镇 waiting for the county to acknowledge its plan.
 */
export async function seedDemoRounds(database: Database, opts: { now: Date }) {
  const cal = demoCalendar(opts.now);
  const lastYear = await seedDemoLastYear(database.db, cal);
  const year = await seedDemoYear(database.db, cal, { living: database });
  return { lastYearId: lastYear.campaignId, ...year, year: cal.year };
}
