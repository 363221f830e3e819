import { describe, expect, it } from 'vitest';
import { countChars, offsetAfterChars } from './word-count';

// A village secretary's report of the length 001 allows a 党支部书记 (≤ 1500 字), and a little over.
const REPORT = `2023年度白家湾村党支部书记抓基层党建工作述职报告

各位领导、同志们：

2023年，我认真履行抓基层党建第一责任人职责，带领村“两委”班子围绕乡村振兴这条主线，把党支部建设作为最根本的任务来抓。现将一年来的工作情况报告如下。

一、主要做法和成效

（一）抓班子带队伍。全年召开支委会24次、党员大会6次，讲党课4次，其中我本人讲党课2次。按照“一人一档”建立党员积分台账，全村63名党员中有58名参加了积分管理，占比92%。发展党员2名，确定入党积极分子3名，其中35岁以下的2名。选派2名年轻党员到县委党校参加为期7天的培训。

（二）抓产业促增收。以“支部+合作社+农户”模式发展设施蔬菜，新建温室大棚40座，带动126户群众参与，户均增收8600元。村集体经济收入由2022年的18.6万元增加到31.2万元。利用抖音、快手等App开展直播带货12场，销售小米、红枣等农产品2.3万斤。

（三）抓服务解难题。落实“党员联系户”制度，每名党员联系5至8户群众，全年走访1600余户次，收集意见建议87条，已办结79条。投入资金46万元硬化巷道3.2公里，安装路灯120盏，解决了群众反映最集中的夜间出行难问题。

（四）抓整改促规范。对照上年度述职评议中指出的4个问题，逐项制定整改措施，目前已完成3项。针对党务村务公开不及时的问题，在村委会门口设置公开栏2处，每月5日前更新财务收支，全年公开事项48件。针对软弱涣散村整顿中发现的矛盾纠纷调处不力问题，成立由3名老党员组成的调解小组，化解土地流转、宅基地等纠纷19起，没有发生一起越级上访。

（五）抓廉洁守底线。带头签订党风廉政建设责任书，村级重大事项全部按“四议两公开”程序决策，全年经村民代表会议决议事项9项。邀请乡纪委干部为全体党员和村组干部上廉政党课1次，组织观看警示教育片2部，村“两委”成员未发生违纪违法问题。

二、存在的问题

一是理论学习不够深入。我本人学习多停留在读原文、记笔记上，结合村里实际思考不够，全年撰写的心得体会只有3篇，学用结合有差距。

二是党员队伍结构老化。全村党员平均年龄58.4岁，60岁以上的31名，占49%；外出务工党员17名，流动党员管理靠微信群发通知，参加组织生活的比例只有40%左右。

三是“三会一课”质量不高。部分党员大会以传达文件为主，讨论少、交流少，有的党员反映“听不懂、用不上”。上年度县委组织部指出的组织生活记录不规范问题，虽已整改，但个别月份仍有补记现象。

四是产业带动的持续性不强。大棚种植品种单一，遇到今年秋季菜价下跌，有11户群众出现亏损，抗风险能力弱。

三、原因剖析

从主观上看，一是我对抓党建的认识还有偏差，有时把精力更多放在项目和产业上，对党员教育管理用心不够；二是工作方法比较简单，习惯用开会、发通知的办法推动工作，深入党员群众中间做细致工作少；三是自身能力有短板，对市场规律研究不够，带领群众闯市场的本领不强。从客观上看，村里青壮年大量外出，后备力量不足，党员发展的来源比较少。

四、下步措施

（一）加强自身学习。每月至少集中学习2次，每季度撰写1篇结合村情的调研文章，带头讲好专题党课。

（二）优化党员队伍。2024年计划发展党员2名，重点从返乡青年、致富带头人中培养，力争35岁以下党员占比提高到15%以上。建立流动党员“线上+线下”管理台账，每季度至少组织1次线上主题党日。

（三）规范组织生活。严格落实“三会一课”制度，每次党员大会安排不少于30分钟的讨论交流，由我牵头对组织生活记录每月检查1次，杜绝补记现象。

（四）壮大集体经济。引进订单农业，与县城2家超市签订直供协议，新增辣椒、西红柿等3个品种，设立10万元风险互助金，帮助群众抵御价格风险。

我将以这次述职为新的起点，把问题整改到位，把承诺落到实处，请各位领导和同志们批评指正。

述职人：王建国
2023年12月20日`;

/** Independent count for text made of BMP CJK, full-width marks and ASCII: each ASCII run is one unit. */
const oracle = (t: string) => t.replace(/[\x21-\x7e]+/g, 'A').replace(/\s/g, '').length;

describe('countChars', () => {
  const table: [string, number][] = [
    ['2019年发展党员12名', 8],
    ['', 0],
    ['   \n\t  \r\n', 0],
    ['党员', 2],
    ['党员，群众。', 6],
    ['COVID-19疫情', 3],
    ['e.g. 一个例子', 5],
    ['增长3.5个百分点', 7],
    ['占比92%', 3],
    ['占比92％', 4],
    ['２０１９年', 5],
    ['（一）抓班子', 6],
    ['(1)抓班子', 4],
    ['召开 - 会议', 5],
    ['党员,群众', 5],
    ['好👍', 2],
    ['ok👍', 1],
    ['👨‍👩‍👧 全家', 3],
    ['𠮷野家', 3],
    ['𰻝𰻝面', 3],
    ['“两学一做”', 6],
    ['don’t stop', 2],
    ['马克思·恩格斯', 7],
    ['思想……', 4],
    ['第①项', 3],
    ['Hello World', 2],
    ['5G基站3座', 5],
    ['党员\u3000群众', 4],
    ['e\u0301tude', 1],
    ['葛\u{E0100}城', 2],
  ];
  it.each(table)('R-REP-1: %j counts %i', (text, expected) => {
    expect(countChars(text)).toBe(expected);
  });

  it('R-REP-1: counts a real-length report as a word processor does', () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the report is plain ASCII or CJK, \x00-\x7e is all of ASCII
    expect(REPORT).toMatch(/^[\u4e00-\u9fff\u3000-\u303f\uff01-\uff60“”\x00-\x7e]+$/);
    expect(countChars(REPORT)).toBe(oracle(REPORT));
    expect(countChars(REPORT)).toBe(1514);
    // Spaces and line breaks never count, wherever they fall.
    expect(countChars(REPORT.replace(/\n/g, '\n\n  '))).toBe(1514);
  });
});

describe('offsetAfterChars', () => {
  it('R-REP-1: points at the first unit past the limit', () => {
    const text = '2019年发展党员12名';
    expect(offsetAfterChars(text, 8)).toBeNull();
    expect(offsetAfterChars(text, 7)).toBe(text.indexOf('名'));
    expect(offsetAfterChars(text, 6)).toBe(text.indexOf('12'));
    expect(offsetAfterChars(text, 0)).toBe(0);
    expect(offsetAfterChars('  𠮷野家', 1)).toBe(4);
  });

  it('R-REP-1: the text before the offset holds exactly the limit', () => {
    const at = offsetAfterChars(REPORT, 1500)!;
    expect(countChars(REPORT.slice(0, at))).toBe(1500);
    expect(countChars(REPORT.slice(at))).toBe(14);
  });
});
