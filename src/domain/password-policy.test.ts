import { describe, expect, it } from 'vitest';
import { assertPasswordAcceptable, passwordProblems } from './password-policy';

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
