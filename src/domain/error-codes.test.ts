import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode, errorCodesFor, isErrorCode, MODULE_TAGS } from './error-codes';
import { AppError } from './errors';

const HAN = /\p{Script=Han}/u;

describe('error code registry', () => {
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];

  it('gives every code a status in 400–599 and a Chinese default message', () => {
    expect(codes.length).toBeGreaterThan(150);
    for (const code of codes) {
      const { status, message } = ERROR_CODES[code];
      expect(Number.isInteger(status) && status >= 400 && status <= 599, `${code}: ${status}`).toBe(true);
      expect(HAN.test(message), `${code}: ${message}`).toBe(true);
    }
  });

  it('names codes in UPPER_SNAKE_CASE and tags only known modules', () => {
    for (const code of codes) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      const where = ERROR_CODES[code].in;
      if (where !== 'all') {
        expect(where.length, code).toBeGreaterThan(0);
        for (const tag of where) expect(MODULE_TAGS, code).toContain(tag);
      }
    }
  });

  it('AppError takes the status and default message from the registry, a message of its own when given', () => {
    const plain = new AppError('REPORTER_NOT_IN_CAMPAIGN');
    expect(plain).toMatchObject({
      code: 'REPORTER_NOT_IN_CAMPAIGN',
      status: 404,
      message: ERROR_CODES.REPORTER_NOT_IN_CAMPAIGN.message,
    });
    const named = new AppError('NOT_A_REPORTER', '「前进村」不是述职对象', { field: 'orgId' });
    expect(named).toMatchObject({ status: 400, message: '「前进村」不是述职对象', details: { field: 'orgId' } });
  });

  it('answers a tag with its own codes and the ones every route may answer', () => {
    const ballots = errorCodesFor('ballots');
    expect(ballots).toContain('CODE_USED');
    expect(ballots).toContain('INTERNAL');
    expect(ballots).not.toContain('WRONG_PASSWORD');
    expect(isErrorCode('CODE_USED')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
  });
});
