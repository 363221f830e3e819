import { describe, expect, it } from 'vitest';
import { assertPasswordAcceptable, passwordProblems, passwordState } from './password-policy';

describe('password complexity', () => {
  it.each([
    ['Short1!', false],
    ['alllowercaseletters', false],
    ['lowercase123456', false],
    ['Lowercase123456', true],
    ['lowercase12345!', true],
    ['UPPER-lower-x', true],
    ['OnlyLettersMixedCase', false],
    ['中文字符算作符号类abc123', true],
  ])('%s acceptable=%s', (pw, ok) => {
    expect(passwordProblems(pw) === null).toBe(ok);
  });

  it('refuses a password containing the username', () => {
    expect(passwordProblems('Zhangsan#2025', 'zhangsan')).toBe('密码不能包含用户名');
  });

  it('throws a coded Chinese error naming the field', () => {
    expect(() => assertPasswordAcceptable('abc')).toThrowError(/至少10位/);
    try {
      assertPasswordAcceptable('abc');
    } catch (e) {
      expect((e as { code: string }).code).toBe('WEAK_PASSWORD');
    }
  });
});

describe('password state (issue 15: forced change, expiry with warning)', () => {
  const changedAt = new Date('2026-01-01T00:00:00Z');
  const at = (days: number) => new Date(changedAt.getTime() + days * 86_400_000);
  const base = { mustChange: false, changedAt, maxAgeDays: 90, warnDays: 7 };
  it("fresh, warned in the last days, required after the maximum age; an administrator's password always", () => {
    expect(passwordState({ ...base, now: at(10) })).toMatchObject({
      mustChange: false,
      warn: false,
      expiresAt: at(90).toISOString(),
    });
    expect(passwordState({ ...base, now: at(83) })).toMatchObject({ mustChange: false, warn: true });
    expect(passwordState({ ...base, now: at(90) })).toMatchObject({ mustChange: true, reason: 'expired', warn: false });
    expect(passwordState({ ...base, mustChange: true, now: at(1) })).toMatchObject({
      mustChange: true,
      reason: 'reset',
    });
    expect(passwordState({ ...base, maxAgeDays: 0, now: at(5000) })).toEqual({
      mustChange: false,
      reason: null,
      expiresAt: null,
      warn: false,
    });
  });
});
