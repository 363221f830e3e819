import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { estimateJaccard, exactJaccard, findNearCopies, minhashSignature } from './similarity';

// Two communities' reports on the same subject, written independently.
const XINGFULI = `2023年，幸福里社区党委在街道党工委的领导下，坚持以党建引领基层治理，现将本人履行抓基层党建工作第一责任人职责情况报告如下。
一、主要做法和成效
一是建强组织体系。将社区划分为6个网格、32个楼栋党小组，选聘楼栋长48名，其中党员37名，实现“社区党委—网格党支部—楼栋党小组”三级组织全覆盖。全年召开党委会18次，专题研究党建工作7次。
二是推动共驻共建。与辖区14家驻区单位签订共建协议，建立需求、资源、项目三张清单，认领项目26个，协调驻区单位开放停车位210个，缓解了老旧小区停车难问题。
三是深化在职党员双报到。全年有312名在职党员到社区报到，参加志愿服务1900余人次，组建“红色物业”服务队3支，解决楼道照明、管网维修等问题63件。
二、存在问题
一是党建引领物业管理的作用发挥不充分，3个无物业小区仍靠临时保洁，居民满意度不高。二是在职党员报到后参与不均衡，约三分之一的党员全年参加活动不足2次。三是本人对社区党建的系统谋划不够，工作中存在重部署、轻督查的现象。
三、原因分析
主要是思想认识不到位，把较多精力放在了创建达标、迎检等事务上；工作机制不健全，对在职党员缺少有效的激励约束办法；自身统筹能力不足，对新就业群体等新情况研究不深。
四、下步打算
一是年内引入专业物业或组建居民自管会，实现无物业小区管理全覆盖。二是建立在职党员积分管理制度，积分结果每季度反馈原单位党组织。三是每月至少深入1个网格调研，带头研究解决1件群众急难愁盼问题。`;

const DONGGUAN = `东关社区党总支书记述职报告
过去一年，我作为社区党总支书记，围绕“让居民生活更舒心”的目标抓党建、促治理，主要情况如下。
一、履职情况
（一）抓学习教育。利用周末夜校组织党员学习23场，邀请老党员讲身边故事5次，开展主题党日12次，党员参学率达到87%。
（二）抓服务阵地。改造党群服务中心320平方米，开设老年食堂，每天为80余名高龄老人提供午餐，开办“四点半课堂”，寒暑假服务学生1200人次。
（三）抓矛盾化解。建立“楼院议事会”，全年议事41次，推动加装电梯4部、改造雨污管网1.6公里，化解邻里纠纷27起。
二、问题不足
我对党员队伍管理抓得不够细，流动党员有9名长期联系不上；议事会议题多由社区提出，居民自主提议少；党总支委员分工不明确，有的委员只挂名不履职。
三、产生原因
一方面，我习惯于亲力亲为，放手发动党员群众不够；另一方面，社区工作人员少、事务多，对党建工作投入的时间精力不足，制度落实存在打折扣的情况。
四、今后措施
明年我将从三个方面改进：逐一排查流动党员，通过原籍、务工单位等渠道恢复联系；完善议事会“居民点题”机制，每季度公开征集议题；明确每名委员的责任清单，年底对照清单评议。`;

// XINGFULI lightly edited: two items swapped, numbers and a few sentences changed, one sentence added.
const XINGFULI_EDITED = `2024年，幸福里社区党委在街道党工委的坚强领导下，坚持以党建引领基层治理，现将本人履行抓基层党建工作第一责任人职责情况报告如下。
一、主要做法和成效
一是建强组织体系。将社区划分为6个网格、32个楼栋党小组，选聘楼栋长48名，其中党员37名，实现“社区党委—网格党支部—楼栋党小组”三级组织全覆盖。全年共召开党委会20次，专题研究党建工作9次。
二是深化在职党员双报到。全年有335名在职党员到社区报到，参加志愿服务2100余人次，组建“红色物业”服务队3支，解决楼道照明、管网维修等问题63件。
三是推动共驻共建。与辖区14家驻区单位签订共建协议，建立需求、资源、项目三张清单，认领项目26个，协调驻区单位开放停车位210个，缓解了老旧小区停车难问题。
二、存在问题
一是党建引领物业管理的作用发挥不充分，3个无物业小区仍靠临时保洁，居民满意度不高。二是在职党员报到后参与不均衡，部分党员报到后很少参加活动。三是本人对社区党建的系统谋划不够，工作中存在重部署、轻督查的现象。
三、原因分析
主要是思想认识不到位，把较多精力放在了创建达标、迎检等事务上；工作机制不健全，对在职党员缺少有效的激励约束办法；自身统筹能力不足，对新就业群体等新情况研究不深。
四、下步打算
一是年内引入专业物业或组建居民自管会，实现无物业小区管理全覆盖。二是建立在职党员积分管理制度，积分结果每季度反馈原单位党组织。三是每月至少深入1个网格调研，带头研究解决1件群众急难愁盼问题。四是加强对快递员、外卖员等新就业群体的服务。`;

describe('exactJaccard', () => {
  it('ignores spaces, punctuation, letter case and character width', () => {
    expect(exactJaccard('党建引领，基层治理。ABC', ' 党建引领基层治理abc ')).toBe(1);
    expect(exactJaccard('２０２３年度', '2023年度')).toBe(1);
  });

  it('is 0 for texts without a shared shingle or without any shingle', () => {
    expect(exactJaccard('甲乙丙丁', '戊己庚辛')).toBe(0);
    expect(exactJaccard('甲乙', '甲乙')).toBe(0);
  });

  it('counts shared 3-grams over all distinct 3-grams', () => {
    // 甲乙丙丁: 甲乙丙 乙丙丁; 乙丙丁戊: 乙丙丁 丙丁戊 → 1 shared of 3.
    expect(exactJaccard('甲乙丙丁', '乙丙丁戊')).toBeCloseTo(1 / 3, 10);
  });
});

describe('minhashSignature', () => {
  it('is deterministic across runs and releases, so stored signatures stay comparable', () => {
    const sig = minhashSignature(XINGFULI);
    expect(sig).toHaveLength(128);
    expect(Array.from(minhashSignature(XINGFULI))).toEqual(Array.from(sig));
    expect(Array.from(sig.slice(0, 4))).toEqual([3916202, 40733155, 71953642, 101992373]);
  });

  it('estimates the exact Jaccard index closely', () => {
    for (const [a, b] of [
      [XINGFULI, XINGFULI_EDITED],
      [XINGFULI, DONGGUAN],
      [DONGGUAN, XINGFULI_EDITED],
    ]) {
      const estimate = estimateJaccard(minhashSignature(a), minhashSignature(b));
      expect(Math.abs(estimate - exactJaccard(a, b))).toBeLessThan(0.1);
    }
    expect(estimateJaccard(minhashSignature(DONGGUAN), minhashSignature(DONGGUAN))).toBe(1);
  });

  it('fills every bin of a short text, and leaves a text without shingles unmatched', () => {
    expect(Array.from(minhashSignature('党支部书记述职')).every((v) => v !== 0xffffffff)).toBe(true);
    expect(estimateJaccard(minhashSignature('党支部书记述职'), minhashSignature('党支部书记述职'))).toBe(1);
    expect(estimateJaccard(minhashSignature('。'), minhashSignature('。'))).toBe(0);
  });

  it('refuses signature sizes it cannot use', () => {
    expect(() => minhashSignature('甲乙丙', 8)).toThrowError(AppError);
    expect(() => estimateJaccard(minhashSignature('甲乙丙', 64), minhashSignature('甲乙丙'))).toThrow(/长度不一致/);
  });
});

describe('findNearCopies', () => {
  const candidates = [
    { id: 'dg', label: '东关社区党总支', signature: minhashSignature(DONGGUAN) },
    { id: 'xfl', label: '幸福里社区党委', signature: minhashSignature(XINGFULI) },
  ];

  it('flags a lightly edited copy and not a different report on the same subject', () => {
    expect(exactJaccard(XINGFULI, XINGFULI_EDITED)).toBeGreaterThan(0.7);
    expect(exactJaccard(XINGFULI, DONGGUAN)).toBeLessThan(0.1);
    const found = findNearCopies(XINGFULI_EDITED, candidates, 0.5);
    expect(found.map((f) => f.id)).toEqual(['xfl']);
    expect(found[0].jaccard).toBeNull();
    expect(findNearCopies(DONGGUAN.replace('东关', '西关'), candidates.slice(1), 0.5)).toEqual([]);
  });

  it('confirms with the exact index when the text is given, most similar first', () => {
    const withText = [
      { id: 'a', signature: minhashSignature(XINGFULI), text: XINGFULI },
      { id: 'b', signature: minhashSignature(XINGFULI_EDITED), text: XINGFULI_EDITED },
      { id: 'c', signature: minhashSignature(DONGGUAN), text: DONGGUAN },
    ];
    const found = findNearCopies(XINGFULI_EDITED, withText, 0.5);
    expect(found.map((f) => f.id)).toEqual(['b', 'a']);
    expect(found[0].jaccard).toBe(1);
    expect(found[1].jaccard).toBeCloseTo(exactJaccard(XINGFULI, XINGFULI_EDITED), 10);
  });

  it('rejects a bad threshold or a signature of the wrong size, naming the field', () => {
    expect(() => findNearCopies(XINGFULI, candidates, 0)).toThrow(/相似度阈值/);
    expect(() => findNearCopies(XINGFULI, candidates, 1.5)).toThrow(/相似度阈值/);
    const bad = [...candidates, { id: 'x', label: '某党支部', signature: new Uint32Array(64) }];
    expect(() => findNearCopies(XINGFULI, bad, 0.5)).toThrow(/某党支部/);
    expect(findNearCopies(XINGFULI, [], 0.5)).toEqual([]);
  });
});
