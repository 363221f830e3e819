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
  if (problem) throw new AppError('WEAK_PASSWORD', problem, 400, { field: 'password' });
}
