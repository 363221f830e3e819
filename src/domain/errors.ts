import { ERROR_CODES, type ErrorCode } from './error-codes';

/**
 * Coded errors. Domain and use cases throw AppError; the HTTP error handler sends `status` with `{ code, message }`.
 * The status and the default message come from the registry (error-codes.ts, decision 023); `message` overrides the
 * default when the throw can name the object at fault. It is shown to users, so it is Chinese.
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    public readonly code: ErrorCode,
    message?: string,
    /** Extra machine-readable detail (e.g. per-row import errors, the field at fault). */
    public readonly details?: unknown,
  ) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'AppError';
    this.status = ERROR_CODES[code].status;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what}不存在`);
export const forbidden = (message?: string) => new AppError('FORBIDDEN', message);
export const invalid = (field: string, message: string) => new AppError('VALIDATION', message, { field });
