import { AppError } from './errors';

/**
 * Password complexity: at least 10 characters and at least three of the four classes
 * (upper, lower, digit, symbol) — the usual rule in 等级保护 (MLPS 2.0) level-3 checklists.
 */
export const PASSWORD_RULE_TEXT = '密码至少10位，且包含大写字母、小写字母、数字、符号中的至少三类';

export function passwordProblems(password: string, username?: string): string | null {
  if (password.length < 10) return PASSWORD_RULE_TEXT;
  if (password.length > 128) return '密码不能超过128位';
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return PASSWORD_RULE_TEXT;
  if (username && password.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  return null;
}

export function assertPasswordAcceptable(password: string, username?: string): void {
  const problem = passwordProblems(password, username);
  if (problem) throw new AppError('WEAK_PASSWORD', problem, { field: 'password' });
}

/** Where a user's password stands: must it be changed before anything else, when does it expire, warn now? */
export interface PasswordState {
  mustChange: boolean;
  /** 'reset': an administrator set it (or forced a change); 'expired': older than the maximum age. */
  reason: 'reset' | 'expired' | null;
  expiresAt: string | null;
  warn: boolean;
}

const DAY_MS = 86_400_000;

export function passwordState(o: {
  mustChange: boolean;
  changedAt: Date;
  now: Date;
  maxAgeDays: number;
  warnDays: number;
}): PasswordState {
  const expires = o.maxAgeDays > 0 ? new Date(o.changedAt.getTime() + o.maxAgeDays * DAY_MS) : null;
  const expired = !!expires && o.now >= expires;
  if (o.mustChange || expired) {
    return {
      mustChange: true,
      reason: o.mustChange ? 'reset' : 'expired',
      expiresAt: expires?.toISOString() ?? null,
      warn: false,
    };
  }
  const warn = !!expires && expires.getTime() - o.now.getTime() <= o.warnDays * DAY_MS;
  return { mustChange: false, reason: null, expiresAt: expires?.toISOString() ?? null, warn };
}
