/**
 * Coded errors. Domain and use cases throw AppError; the HTTP error handler maps `status`
 * to the response and sends `{ code, message }`. `message` is shown to users, so it is Chinese.
 */
export class AppError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly status: number = 400,
    /** Extra machine-readable detail (e.g. per-row import errors, the field at fault). */
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what}不存在`, 404);
export const forbidden = (message = '无权进行此操作') => new AppError('FORBIDDEN', message, 403);
export const invalid = (field: string, message: string) =>
  new AppError('VALIDATION', message, 400, { field });
export const conflict = (code: string, message: string) => new AppError(code, message, 409);
