/**
 * Names of party organizations as the seeds' documents write them. The tree stores whatever the register holds
 * ("中共无定河镇委员会", "无定河镇党委", "东湾村党组织", "东湾村"); forms and signatures need one form or the other:
 * 003 附件2 asks about "无定河镇党委书记", 附件1 about "东湾村党组织书记", and a township's report is signed
 * "中共无定河镇委员会".
 */

const PARTY_PREFIX = /^(中国共产党|中共)/;
/** Administrative units whose committee is called X委 (县委, 旗委), not X党委. */
const REGION_END = /(省|自治区|市|州|盟|县|旗|区)$/;
/** A name that already says which kind of party organization it is. */
const KIND_END = /(党组织|党委|党工委|党总支|党支部|党组|工委|委)$/;

/** 中共无定河镇委员会 → 无定河镇党委, 中共乌审旗委员会 → 乌审旗委; other names lose only the 中共 prefix. */
export function shortOrgName(name: string): string {
  const n = name.trim().replace(PARTY_PREFIX, '');
  let m = /^(.+?)(?:党)?工作委员会$/.exec(n);
  if (m) return `${m[1]}党工委`;
  m = /^(.+?)总支部委员会$/.exec(n);
  if (m) return `${m[1]}党总支`;
  m = /^(.+?)支部委员会$/.exec(n);
  if (m) return `${m[1]}党支部`;
  m = /^(.+?)委员会$/.exec(n);
  if (m) return REGION_END.test(m[1]!) ? `${m[1]}委` : `${m[1]}党委`;
  return n;
}

/**
 * The formal name a committee signs with (公文 署名): 无定河镇党委 → 中共无定河镇委员会, 清河县委 → 中共清河县委员会.
 * Names that are not a committee's (党支部, 党组) are returned as they are.
 */
export function formalCommitteeName(name: string): string {
  const n = name.trim();
  if (PARTY_PREFIX.test(n)) return n;
  let m = /^(.+?)党工委$/.exec(n);
  if (m) return `中共${m[1]}工作委员会`;
  m = /^(.+?)党委$/.exec(n);
  if (m) return `中共${m[1]}委员会`;
  m = /^(.+?)委$/.exec(n);
  if (m && REGION_END.test(m[1]!)) return `中共${m[1]}委员会`;
  return n;
}

/**
 * Who signs the round's summary upward (R-SUM-1): a township or grassroots committee has no organization department,
 * so it signs itself (中共无定河镇委员会); from the county up the organization department runs the round and signs
 * (中共清河县委组织部).
 */
export function summarySignature(org: { name: string; level: string }): string {
  if (org.level === 'township' || org.level === 'grassroots') return formalCommitteeName(org.name);
  const short = shortOrgName(formalCommitteeName(org.name));
  // 清河县委 → 中共清河县委组织部; 某某大学党委 → 某某大学党委组织部.
  return REGION_END.test(short.replace(/委$/, '')) && !/党委$/.test(short) ? `中共${short}组织部` : `${short}组织部`;
}

/**
 * The seed's form text names the rated organization "XX", followed by its kind ("XX党组织书记", "XX党委书记").
 * The real name replaces "XX" and, when it already ends in a kind of organization, the form's kind word too:
 * 东湾村党支部 + "XX党组织书记" → "东湾村党支部书记"; 中共无定河镇委员会 + "XX党委书记" → "无定河镇党委书记";
 * 东湾村 + "XX党组织书记" → "东湾村党组织书记".
 */
export function fillOrgName(text: string, orgName: string): string {
  const name = shortOrgName(orgName);
  const named = KIND_END.test(name);
  return text.replace(/XX(党组织|党委|党工委|党总支|党支部|党组)?/g, (_all, kind: string | undefined) =>
    named ? name : name + (kind ?? ''),
  );
}

/**
 * "东湾村党支部书记李建国", "无定河镇党委书记张某": the organization and the secretary's post said once, whatever the register
 * holds (中共无定河镇委员会 + 党委书记 would otherwise read "中共无定河镇委员会党委书记").
 */
export function secretaryTitle(orgName: string, position: string | null = '书记', name: string | null = ''): string {
  return `${fillOrgName(`XX${position || '书记'}`, orgName)}${name ?? ''}`;
}
