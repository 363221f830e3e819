import type { FormInstance } from 'antd';
import { isApiError } from '../api/client';
import { notify } from './notify';

/**
 * Shows a server error where the user is looking: on the form field the server named
 * (`details.field`) when the form has it, otherwise as a message.
 */
export function showFormError(form: FormInstance, error: unknown, fieldAliases: Record<string, string> = {}) {
  if (!isApiError(error)) {
    notify.error('操作失败，请稍后重试');
    return;
  }
  if (error.code === 'ABORTED' || error.status === 401) return;
  const details = error.details as { field?: unknown } | undefined;
  const raw = typeof details?.field === 'string' ? details.field : null;
  const field = raw ? (fieldAliases[raw] ?? raw) : null;
  if (field && Object.hasOwn(form.getFieldsValue(), field)) {
    form.setFields([{ name: field, errors: [error.message] }]);
    form.scrollToField(field);
    return;
  }
  notify.error(error.message);
}
