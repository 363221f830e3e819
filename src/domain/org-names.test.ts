import { describe, expect, it } from 'vitest';
import { fillOrgName, formalCommitteeName, secretaryTitle, shortOrgName, summarySignature } from './org-names';

describe('organization names in forms and signatures', () => {
  it('shortens committee names as forms write them', () => {
    expect(shortOrgName('中共无定河镇委员会')).toBe('无定河镇党委');
    expect(shortOrgName('中共乌审旗委员会')).toBe('乌审旗委');
    expect(shortOrgName('中共清河县委员会')).toBe('清河县委');
    expect(shortOrgName('中共某某街道工作委员会')).toBe('某某街道党工委');
    expect(shortOrgName('中共东湾村支部委员会')).toBe('东湾村党支部');
    expect(shortOrgName('东湾村党组织')).toBe('东湾村党组织');
  });

  it('R-SUM-1 a township signs with its own committee, a county with its organization department', () => {
    expect(formalCommitteeName('无定河镇党委')).toBe('中共无定河镇委员会');
    expect(formalCommitteeName('中共无定河镇委员会')).toBe('中共无定河镇委员会');
    expect(formalCommitteeName('清河县委')).toBe('中共清河县委员会');
    expect(formalCommitteeName('前进村党支部')).toBe('前进村党支部');
    expect(summarySignature({ name: '中共无定河镇委员会', level: 'township' })).toBe('中共无定河镇委员会');
    expect(summarySignature({ name: '青山镇党委', level: 'township' })).toBe('中共青山镇委员会');
    expect(summarySignature({ name: '中共清河县委员会', level: 'county' })).toBe('中共清河县委组织部');
    expect(summarySignature({ name: '甲县委', level: 'county' })).toBe('中共甲县委组织部');
    expect(summarySignature({ name: '中共某某大学委员会', level: 'city' })).toBe('某某大学党委组织部');
  });

  it('R-VOTE-1 never doubles the kind of organization', () => {
    expect(fillOrgName('您认为XX党组织书记存在哪些问题', '东湾村党组织')).toBe('您认为东湾村党组织书记存在哪些问题');
    expect(fillOrgName('XX党组织书记', '某某公司党委')).toBe('某某公司党委书记');
    expect(fillOrgName('XX书记', '东湾村党支部')).toBe('东湾村党支部书记');
  });

  it('R-GRADE-6 names a secretary with the post said once', () => {
    expect(secretaryTitle('中共无定河镇委员会', '党委书记', '张某')).toBe('无定河镇党委书记张某');
    expect(secretaryTitle('东湾村党支部', '党支部书记', '李建国')).toBe('东湾村党支部书记李建国');
    expect(secretaryTitle('东湾村党支部', null, '李建国')).toBe('东湾村党支部书记李建国');
    expect(secretaryTitle('东湾村', '书记', null)).toBe('东湾村书记');
  });
});
