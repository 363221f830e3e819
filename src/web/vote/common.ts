/**
 * DOM and fetch helpers shared by the two phone pages of the vote entry (main.ts: the ballot, survey.ts: the
 * satisfaction questionnaire). Plain DOM only: these pages must stay small for slow phone networks, so nothing
 * here may import React, antd or the admin app (the build then emits this as one small chunk both pages load).
 */

export const app = document.getElementById('app')!;
/** sessionStorage, not localStorage: a refresh keeps the code, but a shared phone forgets it when the tab closes. */
export const store = sessionStorage;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...kids: Array<Node | string>
) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...kids);
  return e;
}

/** POSTs JSON; any failure becomes an Error whose message is Chinese text fit to show the voter as is. */
export async function post<T>(url: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new Error('网络连接失败，请检查网络后重试');
  }
  const data = await res.json().catch(() => ({ message: `服务器暂时无法响应（${res.status}），请稍后重试` }));
  if (!res.ok)
    throw Object.assign(new Error(data.message ?? '提交失败，请重试'), { code: data.code as string | undefined });
  return data as T;
}

/**
 * The secret comes in the URL fragment (#<param>=…), which browsers never send to a server. It is moved to
 * sessionStorage under `key` and removed from the address bar, so it is not left in history or a shared screenshot.
 */
export function readFragmentSecret(param: string, key: string): string {
  const m = new RegExp(`[#&]${param}=([^&]+)`).exec(location.hash);
  if (m) {
    store.setItem(key, decodeURIComponent(m[1]!));
    history.replaceState(null, '', location.pathname);
  }
  return store.getItem(key) ?? '';
}

/** One alert per container (a new one replaces the last), scrolled into view; `testId` differs per page for the tests. */
export function showAlert(where: HTMLElement, message: string, testId: string, kind: 'err' | 'info' = 'err') {
  where.querySelector('.err, .info')?.remove();
  where.prepend(el('div', { class: kind, role: kind === 'err' ? 'alert' : 'status', 'data-testid': testId }, message));
  where.scrollIntoView({ block: 'start' });
}
