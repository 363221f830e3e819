import type { Role } from '../../../domain/roles';
import type { AuthUser } from '../../http/context';

/** The audit log is read by the 安全审计员 and nobody else (三员分立, decision 019). */
export const AUDIT_READER: Role = 'auditor';
export const readsAudit = (user: Pick<AuthUser, 'role'>) => user.role === AUDIT_READER;
