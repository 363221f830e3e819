/**
 * Request and response shapes of /api/orgs. The web infers its types from here (`import type`, decision 025); this file
 * imports only zod, src/domain and other schemas.ts files, so the web's program stays free of server code.
 */
import { z } from 'zod';
import { KIND_CODES, LEVEL_CODES, SECTOR_CODES } from '../../../domain/org-taxonomy';
import { Id } from '../../http/schemas';

const Text = (max: number) => z.string().trim().min(1).max(max);
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s)), '不是有效日期');
const Code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, '只能包含字母、数字、短横线或下划线，最长64位');
const Phone = z.string().trim().max(30).nullable().optional();

export const OrgNode = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  name: z.string(),
  code: z.string(),
  kind: z.string(),
  sector: z.string(),
  level: z.string(),
  childCount: z.number(),
});
export const OrgOut = OrgNode.omit({ childCount: true });
export const SecretaryOut = z.object({
  id: z.number(),
  name: z.string(),
  position: z.string(),
  phone: z.string().nullable(),
  tenureStart: z.string(),
  tenureEnd: z.string().nullable(),
});
export const MemberOut = z.object({
  id: z.number(),
  name: z.string(),
  position: z.string(),
  phone: z.string().nullable(),
});
export const ImportResult = z.object({ orgs: z.number(), secretaries: z.number() });
export const ImportJobOut = z.object({
  id: z.number(),
  fileName: z.string(),
  status: z.enum(['reading', 'checking', 'writing', 'done', 'failed']),
  /** Bytes of the file while reading, rows afterwards. */
  processed: z.number(),
  total: z.number().nullable(),
  result: ImportResult.nullable(),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }).nullable(),
  createdAt: z.string(),
});
export const OrgSearchHitOut = OrgNode.extend({ pathNames: z.array(z.string()) });
export const OrgDetailOut = z.object({
  org: OrgNode,
  ancestors: z.array(z.object({ id: z.number(), name: z.string() })),
  secretary: SecretaryOut.nullable(),
  secretaryHistory: z.array(SecretaryOut),
  members: z.array(MemberOut),
});
export const OrgIn = z.object({
  name: Text(100),
  code: Code,
  kind: z.enum(KIND_CODES),
  sector: z.enum(SECTOR_CODES),
  level: z.enum(LEVEL_CODES),
});
export const SecretaryIn = z.object({ name: Text(50), position: Text(50), tenureStart: IsoDate, phone: Phone });
export const MemberIn = z.object({ name: Text(50), position: Text(50), phone: Phone });

const Offset = z.coerce.number().int().min(0).max(10_000_000).default(0);
/** One page of a node's children in the tree. */
export const ChildrenQuery = z.object({ offset: Offset, limit: z.coerce.number().int().min(1).max(500).default(200) });
export const OrgSearchQuery = z.object({
  q: z.string().trim().max(100).optional(),
  sector: z.enum(SECTOR_CODES).optional(),
  kind: z.enum(KIND_CODES).optional(),
  offset: Offset,
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const RootsOut = z.object({ items: z.array(OrgNode) });
export const ChildrenOut = z.object({ items: z.array(OrgNode), total: z.number() });
export const OrgSearchOut = z.object({ items: z.array(OrgSearchHitOut), total: z.number() });
export const OrgCreateIn = z.object({ parentId: Id, ...OrgIn.shape }).strict();
export const MoveIn = z.object({ newParentId: Id }).strict();
/** What creating, changing or moving an organization answers (no child count: the tree keeps its own). */
export const OrgSavedOut = z.object({ org: OrgOut });
export const SecretarySavedOut = z.object({ secretary: SecretaryOut });
export const MemberSavedOut = z.object({ member: MemberOut });
export const ImportJobStateOut = z.object({ job: ImportJobOut });
export const OkOut = z.object({ ok: z.boolean() });
