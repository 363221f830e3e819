import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS, AUDIT_MODULES, auditModuleOf } from './audit-actions';

const HAN = /\p{Script=Han}/u;

describe('audit action registry', () => {
  it('gives every action and module a Chinese label', () => {
    expect(AUDIT_ACTION_LABELS.size).toBeGreaterThan(100);
    for (const m of AUDIT_MODULES) {
      expect(HAN.test(m.label), m.prefix).toBe(true);
      for (const [code, label] of Object.entries(m.actions)) expect(HAN.test(label), code).toBe(true);
    }
  });

  it('lists each action once, under the module whose prefix it carries', () => {
    const all = AUDIT_MODULES.flatMap((m) => Object.keys(m.actions));
    expect(new Set(all).size).toBe(all.length);
    for (const m of AUDIT_MODULES)
      for (const code of Object.keys(m.actions)) expect(auditModuleOf(code)?.prefix, code).toBe(m.prefix);
  });
});
