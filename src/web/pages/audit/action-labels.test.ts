import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REVIEW_ACTIONS } from '../../../domain/report-review';
import { ACTION_LABELS, AUDIT_MODULES, moduleOf } from './action-labels';

const MODULES_DIR = join(__dirname, '../../../server/modules');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [readFileSync(p, 'utf8')] : [];
  });
}

const text = sources(MODULES_DIR).join('\n');
/** Codes written literally: `action: 'org.create'`. */
const literal = new Set([...text.matchAll(/\baction: '([a-z_]+(?:\.[a-z_]+)+)'/g)].map((m) => m[1]));
/** Codes built from a template: `action: \`campaign.phase.${action}\``, kept as their fixed prefix. */
const templated = new Set([...text.matchAll(/\baction: `([a-z_.]+)\$\{/g)].map((m) => m[1]));

/** What each template expands to, from the use cases' own parameter types. */
const EXPANSIONS: Record<string, readonly string[]> = {
  'campaign.': ['close', 'archive'], // end-campaign.ts: 'close' | 'archive'
  'campaign.phase.': ['open', 'extend', 'close', 'reopen'], // transition-phase.ts (PHASE_ACTIONS)
  'campaign.filing.': ['acknowledge', 'return'], // file-plan.ts decision
  'report.': REVIEW_ACTIONS,
};

describe('audit action labels', () => {
  it('finds the server codes at all (the scan itself works)', () => {
    expect(literal.has('org.create')).toBe(true);
    expect(literal.size).toBeGreaterThan(40);
  });

  it('every audit code written under src/server/modules has a Chinese label and a module', () => {
    const written = [...literal, ...[...templated].flatMap((p) => {
      expect(EXPANSIONS[p], `unknown template action prefix ${p}`).toBeDefined();
      return (EXPANSIONS[p] ?? []).map((a) => p + a);
    })];
    expect(written.filter((code) => !ACTION_LABELS.has(code))).toEqual([]);
    expect(written.filter((code) => !moduleOf(code))).toEqual([]);
  });

  it('no label names a code the server no longer writes', () => {
    const stale = [...ACTION_LABELS.keys()].filter(
      (code) => !literal.has(code) && ![...templated].some((p) => code.startsWith(p) && (EXPANSIONS[p] ?? []).includes(code.slice(p.length))),
    );
    expect(stale).toEqual([]);
  });

  it('each action sits under the module whose prefix it carries', () => {
    for (const m of AUDIT_MODULES) for (const code of Object.keys(m.actions)) expect(moduleOf(code)?.prefix, code).toBe(m.prefix);
  });
});
