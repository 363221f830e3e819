import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import {
  checkReport,
  reportText,
  splitIntoSections,
  type CheckId,
  type CheckReportInput,
  type CheckResult,
  type ReportCheckSettings,
  type ReportSection,
} from './report-checks';
import { minhashSignature } from './similarity';
import { countChars } from './word-count';

// A county organ's branch secretary, as a .docx reads after mammoth: one paragraph a line.
const REPORT = `2023年度县农业农村局机关党支部书记抓基层党建工作述职报告

各位领导、同志们：
现将本人2023年度履行抓基层党建工作第一责任人职责情况报告如下，请予评议。
一、主要做法和成效
（一）履行党建工作责任。年初与4名支部委员签订党建工作责任书，召开支委会12次，专题研究党建工作6次，我本人讲专题党课3次。
（二）学习贯彻习近平新时代中国特色社会主义思想。坚持“第一议题”制度，全年集中学习24次，组织党员到延安开展现场教学1次，撰写心得体会56篇。
（三）推进“三基建设”。对照县委确定的45项“三基建设”重点任务，认领本支部任务8项，已全部完成；结合“五亮一争”活动，设立党员示范岗6个；推动“双报到双服务”，党员到社区报到21人次。
（四）抓好上年度问题整改。针对上年度指出的“三会一课”记录不规范、会议记录不全问题，统一制作记录本，由组织委员每月检查1次。整改事项2指出的问题，已对近三年7名党员的发展档案逐一复核，补齐材料4份。
支部各项工作取得了明显成效。
二、存在问题
一是理论学习不够深入。学习多以读文件为主，结合农业农村工作实际研讨不够，全年支部研讨只有4次。
二是党建与业务融合不紧。在高标准农田建设、农村人居环境整治等重点工作中，党员先锋岗作用发挥不明显，14个党员示范岗中有5个没有具体任务。
三是支部委员履职不均衡。个别委员把党建当作“副业”，全年牵头组织活动不足2次。
四是联系服务群众不够经常。全年党员到联系村开展服务9次，多集中在春耕、秋收两个时段，群众反映“平时见不到人”。
五是自身示范带头不够。我本人全年到下属2个站所支部指导工作只有3次，对站所支部的组织生活情况掌握不深，发现问题后跟踪督促不够。
对此我们高度重视。
三、原因剖析
从主观上看，一是我对“书记抓、抓书记”的要求理解不深，抓业务的时间多、抓党建的时间少，全年专门研究党建的时间不到业务会议的五分之一；二是对支部委员压担子不够，分工后督促检查少，有的工作停留在布置上。从客观上看，局机关承担的项目多、下乡任务重，党员集中学习的时间难以保证；考核激励也不够有力，党建成效与评先评优挂钩不紧，党员干部抓党建的内生动力不足。
四、下步措施
一是每季度开展1次结合业务的专题研讨，由支部委员轮流领学。二是把高标准农田建设、人居环境整治等任务分解到14个党员示范岗，每半年公开亮诺、践诺、评诺。三是建立支部委员履职清单，每季度在支委会上逐人报告履职情况，年底结合述职进行评议。四是下半年完成党费收缴标准的全面核定。五是每月安排1天到联系村开展服务，建立群众诉求台账，做到件件有回音。六是我本人每季度到下属站所支部指导工作不少于1次，帮助解决实际问题。`;

const SETTINGS: ReportCheckSettings = {
  charLimit: 1500,
  achievementsMaxShare: { num: 1, den: 3 },
  // The campaign templates' titles (campaign-templates.ts), not the defaults.
  requiredSections: [
    { key: 'achievements', title: '工作成效', minChars: 0 },
    { key: 'problems', title: '突出问题', minChars: 200 },
    { key: 'causes', title: '问题根源', minChars: 100 },
    { key: 'measures', title: '破解措施', minChars: 150 },
  ],
  // 002's key content items.
  keyContentItems: [
    { id: 'k1', title: '突出学习贯彻习近平新时代中国特色社会主义思想和党的十九大精神' },
    { id: 'k2', title: '突出履行党建工作责任' },
    { id: 'k3', title: '突出“三基建设”' },
    { id: 'k4', title: '突出强化政治功能、完成重大政治任务情况' },
    { id: 'k5', title: '突出工作载体的落实情况', keywords: ['五亮一争', '联促建', '双报到双服务', '五星村庄'] },
  ],
  rectificationItems: [
    { id: 'r1', description: '“三会一课”记录不规范，部分会议记录不全' },
    { id: 'r2', description: '发展党员程序执行不严格，档案材料不齐全' },
    { id: 'r3', ref: 'XC-2022-05', description: '巡察反馈：党费收缴不及时、标准不准确' },
  ],
  blockingChecks: ['length', 'required_sections', 'rectification_items'],
};

const SECTIONS = splitIntoSections(REPORT, SETTINGS.requiredSections);
const run = (over: Partial<CheckReportInput> = {}, settings: Partial<ReportCheckSettings> = {}) =>
  checkReport({ sections: SECTIONS, settings: { ...SETTINGS, ...settings }, ...over });
const result = (results: CheckResult[], id: CheckId) => {
  const r = results.find((x) => x.id === id);
  if (!r) throw new Error(`no result ${id}`);
  return r;
};
const section = (key: string) => SECTIONS.find((s) => s.key === key)!;
const at = (p: { sectionKey: string; offset: number; length: number }) =>
  section(p.sectionKey).text.slice(p.offset, p.offset + p.length);
const total = SECTIONS.reduce((n, s) => n + countChars(s.title) + countChars(s.text), 0);

describe('splitIntoSections', () => {
  it('maps an uploaded text onto the four parts by its headings', () => {
    expect(SECTIONS.map((s) => [s.key, s.title])).toEqual([
      ['preamble', ''],
      ['achievements', '一、主要做法和成效'],
      ['problems', '二、存在问题'],
      ['causes', '三、原因剖析'],
      ['measures', '四、下步措施'],
    ]);
    expect(section('preamble').text.startsWith('2023年度县农业农村局机关党支部书记抓基层党建工作述职报告\n')).toBe(
      true,
    );
    expect(section('achievements').text.startsWith('（一）履行党建工作责任。')).toBe(true);
    expect(section('measures').text.endsWith('帮助解决实际问题。')).toBe(true);
    // Nothing is lost: every non-blank line is in one section.
    const lines = (t: string) => t.split('\n').filter((l) => l.trim());
    expect(SECTIONS.flatMap((s) => [s.title, ...lines(s.text)].filter(Boolean))).toEqual(lines(REPORT));
  });

  it('reads the campaign titles, combined headings and other numbering', () => {
    const text = [
      '（一）工作成效',
      '做了三件事。',
      '（二）突出问题及问题根源',
      '问题如下。',
      '（三）破解措施',
      '措施如下。',
    ].join('\n');
    expect(splitIntoSections(text, SETTINGS.requiredSections)).toEqual([
      { key: 'achievements', title: '（一）工作成效', text: '做了三件事。' },
      { key: 'problems', title: '（二）突出问题及问题根源', text: '问题如下。', alsoCovers: ['causes'] },
      { key: 'measures', title: '（三）破解措施', text: '措施如下。' },
    ]);
  });

  it('keeps sub-headings of another numbering inside their part, and continues a part named twice', () => {
    const text = [
      '一、主要做法',
      '（一）抓整改措施落实。',
      '二、取得成效',
      '新建大棚40座。',
      '三、存在的问题',
      '记录不全。',
    ].join('\n');
    expect(splitIntoSections(text)).toEqual([
      { key: 'achievements', title: '一、主要做法', text: '（一）抓整改措施落实。\n二、取得成效\n新建大棚40座。' },
      { key: 'problems', title: '三、存在的问题', text: '记录不全。' },
    ]);
  });

  it('uses bare headings when none is numbered, and leaves a text without headings whole', () => {
    expect(splitIntoSections('成绩\n甲。\n存在问题\n乙。').map((s) => s.key)).toEqual(['achievements', 'problems']);
    expect(splitIntoSections('  全文只有一段，没有标题。  ')).toEqual([
      { key: 'preamble', title: '', text: '全文只有一段，没有标题。' },
    ]);
    expect(splitIntoSections('')).toEqual([]);
  });
});

describe('checkReport', () => {
  it('R-REP-1: passes a report within its tier limit, with the count', () => {
    const r = result(run(), 'length');
    expect(total).toBeLessThan(1500);
    expect(r).toMatchObject({
      level: 'pass',
      message: `全文${total}字，未超过限制1500字`,
      details: { count: total, limit: 1500 },
    });
  });

  it('R-REP-1: blocks a report over the limit and points at where it goes over', () => {
    const limit = total - 30;
    const r = result(run({}, { charLimit: limit }), 'length');
    expect(r.level).toBe('blocker');
    expect(r.message).toBe(`全文${total}字，超过限制${limit}字`);
    const p = r.places![0];
    expect(p.sectionKey).toBe('measures');
    // Everything before the place holds exactly the limit.
    const i = SECTIONS.findIndex((s) => s.key === 'measures');
    const before = SECTIONS.slice(0, i).reduce((n, s) => n + countChars(s.title) + countChars(s.text), 0);
    expect(before + countChars(SECTIONS[i].title) + countChars(section('measures').text.slice(0, p.offset))).toBe(
      limit,
    );
    expect(p.offset + p.length).toBe(section('measures').text.length);
  });

  it('R-REP-1: only advises when the campaign does not block on length, and has nothing to check without a limit', () => {
    expect(result(run({}, { charLimit: 100, blockingChecks: [] }), 'length').level).toBe('advice');
    expect(result(run({}, { charLimit: null }), 'length')).toMatchObject({
      level: 'pass',
      message: `全文${total}字（未设字数上限）`,
    });
  });

  it('R-REP-2: measures the achievements against the whole report', () => {
    const chars = countChars(section('achievements').title) + countChars(section('achievements').text);
    const share = `${Math.round((chars / total) * 1000) / 10}%`;
    expect(chars / total).toBeLessThan(1 / 3);
    expect(result(run(), 'achievements_share')).toMatchObject({
      level: 'pass',
      message: `成绩部分${chars}字，占全文${share}，未超过1/3`,
    });
    const over = result(
      run({}, { achievementsMaxShare: 0.2, blockingChecks: ['achievements_share'] }),
      'achievements_share',
    );
    expect(over).toMatchObject({ level: 'blocker', message: `成绩部分${chars}字，占全文${share}，超过20%` });
    expect(over.places).toEqual([
      {
        sectionKey: 'achievements',
        offset: 0,
        length: section('achievements').text.length,
        excerpt: expect.any(String),
      },
    ]);
  });

  it('R-REP-2: exactly one third is within "不超过1/3"', () => {
    const sections: ReportSection[] = [
      { key: 'achievements', title: '', text: '甲'.repeat(100) },
      { key: 'problems', title: '', text: '乙'.repeat(200) },
    ];
    const share = (n: number) =>
      result(
        checkReport({ sections: [{ ...sections[0], text: '甲'.repeat(n) }, sections[1]], settings: SETTINGS }),
        'achievements_share',
      );
    expect(share(100)).toMatchObject({ level: 'pass', message: '成绩部分100字，占全文33.3%，未超过1/3' });
    expect(share(101)).toMatchObject({ level: 'advice', message: '成绩部分101字，占全文33.6%，超过1/3' });
  });

  it('R-REP-2: problems, causes and measures are required, each with its minimum', () => {
    expect(result(run(), 'required_sections')).toMatchObject({
      level: 'pass',
      message: '必备内容齐全：工作成效、突出问题、问题根源、破解措施',
    });
    const withoutCauses = SECTIONS.filter((s) => s.key !== 'causes');
    const missing = result(checkReport({ sections: withoutCauses, settings: SETTINGS }), 'required_sections');
    expect(missing).toMatchObject({ level: 'blocker', message: '缺少必备内容：问题根源' });
    const short = result(
      run({}, { requiredSections: [{ key: 'problems', title: '突出问题', minChars: 400 }] }),
      'required_sections',
    );
    const problems = countChars(section('problems').text);
    expect(short.message).toBe(`「突出问题」部分${problems}字，少于400字`);
    expect(short.places?.map((p) => p.sectionKey)).toEqual(['problems']);
  });

  it('R-REP-2: a combined heading "存在问题及原因分析" answers for the causes too', () => {
    const sections = splitIntoSections(
      REPORT.replace('二、存在问题', '二、存在问题及原因分析').replace('三、原因剖析\n', ''),
    );
    expect(sections.map((s) => s.key)).toEqual(['preamble', 'achievements', 'problems', 'measures']);
    expect(result(checkReport({ sections, settings: SETTINGS }), 'required_sections').level).toBe('pass');
  });

  it("R-REP-3, R-PREP-1: shows which of last year's open rectification items the report does not answer", () => {
    const r = result(run(), 'rectification_items');
    expect(r.level).toBe('blocker');
    expect(r.message).toBe(
      '3项上年度整改事项中有1项未在报告中回应：「XC-2022-05 巡察反馈：党费收缴不及时、标准不准确」',
    );
    const details = r.details as {
      answered: { id: string; by: string; place: { sectionKey: string; offset: number; length: number } }[];
      unanswered: { id: string }[];
    };
    expect(details.unanswered.map((u) => u.id)).toEqual(['r3']);
    const byId = Object.fromEntries(details.answered.map((x) => [x.id, x]));
    expect(byId.r1.by).toBe('text');
    expect(at(byId.r1.place)).toContain('记录不规范');
    expect(byId.r2.by).toBe('reference');
    expect(at(byId.r2.place)).toBe('整改事项2');
  });

  it('R-REP-3, R-PREP-1: an item is answered by its code, case aside', () => {
    const sections = [
      ...SECTIONS.slice(0, -1),
      { ...section('measures'), text: `${section('measures').text}针对xc-2022-05，已补缴党费。` },
    ];
    const r = result(checkReport({ sections, settings: SETTINGS }), 'rectification_items');
    expect(r).toMatchObject({ level: 'pass', message: '已回应全部3项上年度整改事项' });
    const noItems = result(run({}, { rectificationItems: [] }), 'rectification_items');
    expect(noItems).toMatchObject({ level: 'pass', message: '上年度没有未完成的整改事项' });
  });

  it("R-REP-3, R-CAMP-1: shows which of the year's key content items the report does not answer", () => {
    const r = result(run(), 'key_content_items');
    expect(r.level).toBe('advice');
    expect(r.message).toBe('5项年度重点内容中有1项未在报告中回应：「突出强化政治功能、完成重大政治任务情况」');
    const answered = (r.details as { answered: { id: string; by: string }[] }).answered;
    expect(answered.map((x) => [x.id, x.by])).toEqual([
      ['k1', 'text'],
      ['k2', 'text'],
      ['k3', 'text'],
      ['k5', 'keywords'],
    ]);
  });

  it('R-REP-3, R-CAMP-1: an item cited by number is answered; half the keywords are needed', () => {
    const cited = [
      ...SECTIONS,
      { key: 'extra', title: '', text: '关于重点内容第四项，本支部组织党员参加防汛抢险3次。' },
    ];
    expect(result(checkReport({ sections: cited, settings: SETTINGS }), 'key_content_items').level).toBe('pass');
    const oneKeyword = splitIntoSections(REPORT.replace('推动“双报到双服务”', '推动“双联系”'));
    const r = result(checkReport({ sections: oneKeyword, settings: SETTINGS }), 'key_content_items');
    expect((r.details as { unanswered: { id: string }[] }).unanswered.map((u) => u.id)).toEqual(['k4', 'k5']);
  });

  it('flags 套话 without a number or an example, as advice only', () => {
    const r = result(run({}, { blockingChecks: ['empty_phrases'] }), 'empty_phrases');
    expect(r.level).toBe('advice');
    expect(r.message).toBe('有1句使用「高度重视」等套话，缺少具体数据或事例');
    expect(r.places!.map(at)).toEqual(['对此我们高度重视。']);
    // The same phrase beside a number is fine; a slogan's number is not data.
    const sections: ReportSection[] = [
      { key: 'problems', title: '', text: '我们高度重视，全年研究党建工作6次。要进一步加强“四个意识”。' },
    ];
    expect(
      result(checkReport({ sections, settings: SETTINGS }), 'empty_phrases').places!.map((p) =>
        sections[0].text.slice(p.offset, p.offset + p.length),
      ),
    ).toEqual(['要进一步加强“四个意识”。']);
  });

  it('flags claimed results in the achievements without figures or examples, as advice', () => {
    const r = result(run(), 'unsupported_claims');
    expect(r.level).toBe('advice');
    expect(r.message).toBe('成绩部分有1处成效表述缺少数据或事例支撑');
    expect(r.places!.map(at)).toEqual(['支部各项工作取得了明显成效。']);
    // Not the 套话 check's business too.
    expect(result(run(), 'empty_phrases').places!.map(at)).not.toContain('支部各项工作取得了明显成效。');
  });

  it('R-REP-5: a secretary in office under 3 months reports on behalf of the organization', () => {
    const r = result(run({ tenure: { start: '2023-10-08', asOf: '2023-12-20' } }), 'short_tenure');
    expect(r.level).toBe('advice');
    expect(r.message).toBe('书记2023年10月8日任职，不足3个月，可代表党组织述职，同时应报告：调研了解的党建突出问题');
    expect(r.details).toMatchObject({ onBehalf: true, fullOn: '2024-01-08', missing: ['调研了解的党建突出问题'] });

    const covered = [
      ...SECTIONS,
      { key: 'extra', title: '', text: '任职后我走访调研了12个支部，深刻认识到抓党建是最大的政绩。' },
    ];
    const ok = result(
      checkReport({ sections: covered, settings: SETTINGS, tenure: { start: '2023-10-08', asOf: '2023-12-20' } }),
      'short_tenure',
    );
    expect(ok.level).toBe('pass');
    expect(ok.message).toContain('可代表党组织述职');
  });

  it('R-REP-5: three calendar months, end of month clamped; from then on the secretary reports in person', () => {
    const check = (start: string, asOf: string) =>
      result(run({ tenure: { start, asOf } }), 'short_tenure').details as { onBehalf: boolean; fullOn: string };
    expect(check('2023-11-30', '2024-02-28')).toMatchObject({ onBehalf: true, fullOn: '2024-02-29' });
    expect(check('2023-11-30', '2024-02-29')).toMatchObject({ onBehalf: false });
    expect(check('2023-09-20', '2023-12-20').onBehalf).toBe(false);
    expect(result(run({ tenure: { start: '2022-03-01', asOf: '2023-12-20' } }), 'short_tenure').message).toBe(
      '书记2022年3月1日任职，已满3个月，按本人履职情况述职',
    );
    expect(run().some((r) => r.id === 'short_tenure')).toBe(false);
  });

  it("flags a near copy of last year's report or of another organization's", () => {
    const lastYear = reportText(SECTIONS).replace('2023年度', '2022年度').replace('12次', '10次');
    const r = result(run({ previousReportText: lastYear }, { blockingChecks: ['near_copy'] }), 'near_copy');
    expect(r.level).toBe('blocker');
    expect(r.message).toMatch(/^疑似照搬照抄：与本组织上年度述职报告的相似度为(9\d|100)%（阈值50%）$/);

    const others = [
      {
        id: 'o1',
        label: '县林业局机关党支部',
        signature: minhashSignature(reportText(SECTIONS).replace('农业农村', '林业')),
      },
      {
        id: 'o2',
        label: '县水利局机关党支部',
        signature: minhashSignature('县水利局机关党支部全年开展河湖巡查党员责任区活动，划定责任河段16段。'.repeat(3)),
      },
    ];
    const copied = result(run({ otherReports: others }), 'near_copy');
    expect(copied.level).toBe('advice');
    expect(copied.message).toMatch(/与「县林业局机关党支部」的述职报告相似度约\d+%/);
    expect(copied.message).not.toContain('水利');
  });

  it("passes a report unlike last year's, and runs no similarity check without anything to compare", () => {
    const r = result(
      run({ previousReportText: '2022年，本支部围绕乡村振兴开展了驻村帮扶工作，选派3名党员驻村。' }),
      'near_copy',
    );
    expect(r.level).toBe('pass');
    expect(r.message).toMatch(/^未发现照搬照抄（与上年度报告相似度\d+%）$/);
    expect(run().some((x) => x.id === 'near_copy')).toBe(false);
  });

  it('rejects bad settings, naming the field in Chinese', () => {
    const fails = (
      over: Partial<CheckReportInput>,
      settings: Partial<ReportCheckSettings>,
      field: string,
      text: RegExp,
    ) => {
      try {
        run(over, settings);
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).details).toEqual({ field });
        expect((e as AppError).message).toMatch(text);
        return;
      }
      throw new Error(`no error for ${field}`);
    };
    fails({}, { charLimit: 0 }, 'charLimit', /字数上限/);
    fails({}, { achievementsMaxShare: 1.5 }, 'achievementsMaxShare', /成绩篇幅比例/);
    fails({}, { similarityThreshold: 0 }, 'similarityThreshold', /相似度阈值/);
    fails({}, { coverageThreshold: 2 }, 'coverageThreshold', /回应匹配阈值/);
    fails(
      {},
      { requiredSections: [{ key: 'problems', title: '突出问题', minChars: -1 }] },
      'requiredSections.0.minChars',
      /「突出问题」的最少字数/,
    );
    fails(
      {},
      { rectificationItems: [{ id: 'x', description: ' ' }] },
      'rectificationItems.0.description',
      /整改事项缺少问题描述/,
    );
    fails({ tenure: { start: '2023-02-30', asOf: '2023-12-20' } }, {}, 'tenure.start', /任职日期/);
    fails({ tenure: { start: '2023-02-01', asOf: '20231220' } }, {}, 'tenure.asOf', /检查日期/);
    fails(
      { sections: [...SECTIONS, { key: 'problems', title: '二、存在问题', text: '重复。' }] },
      {},
      'sections.5.key',
      /「二、存在问题」部分重复/,
    );
  });
});
