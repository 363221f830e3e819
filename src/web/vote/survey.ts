/**
 * The phone questionnaire of the satisfaction survey (R-ASSESS-3): a second page of the vote entry, plain DOM
 * and the vote page's stylesheet, no admin bundle. The token comes in the URL fragment (#t=…), which browsers
 * never send to a server; it is moved to sessionStorage and removed from the address bar (as ballot codes).
 */
import './vote.css';
import type { z } from 'zod';
import type { SheetOut } from '../../server/modules/surveys/schemas';
import { app, el, post, readFragmentSecret, showAlert, store } from './common';

// The server's zod schema (surveys/schemas.ts) is the contract; a type-only import, so nothing reaches this bundle.
type Sheet = z.infer<typeof SheetOut>;

const showError = (where: HTMLElement, message: string) => showAlert(where, message, 'survey-error');

function start(message?: string) {
  const token = readFragmentSecret('t', 'survey.token');
  const input = el('input', {
    type: 'text',
    autocomplete: 'off',
    autocapitalize: 'characters',
    maxlength: '20',
    'data-testid': 'survey-token',
    placeholder: '调查卡上的调查码',
  }) as HTMLInputElement;
  input.value = token;
  const go = el('button', { type: 'submit', 'data-testid': 'survey-start' }, '开始填写') as HTMLButtonElement;
  const form = el(
    'form',
    { class: 'card' },
    el('h2', {}, '请输入调查码'),
    el('p', { class: 'muted' }, '问卷匿名填写，系统不记录您的身份。'),
    el('label', { class: 'f' }, '调查码'),
    input,
    go,
  );
  const load = async () => {
    go.disabled = true;
    try {
      const sheet = await post<Sheet>('/api/survey/sheet', { token: input.value.trim() });
      store.setItem('survey.token', input.value.trim());
      render(sheet, input.value.trim());
    } catch (e) {
      showError(form, (e as Error).message);
    } finally {
      go.disabled = false;
    }
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void load();
  });
  app.replaceChildren(form);
  if (message) showError(form, message);
  else if (token) void load();
}

function render(sheet: Sheet, token: string) {
  const head = el(
    'div',
    { class: 'card' },
    el('h2', {}, sheet.title),
    el('div', { class: 'muted' }, `调查单位：${sheet.unitName}`),
    el('p', { class: 'muted' }, '请对每一项选择您的评价，全部选择后提交。每个链接只能提交一次。'),
  );
  // Two columns: 比较满意/基本满意 do not fit four across on a 320 px phone.
  const cards = sheet.items.map((item, i) => {
    const name = `q${item.id}`;
    const card = el(
      'section',
      { class: 'card', 'data-testid': `item-${i + 1}` },
      el('h3', {}, `${i + 1}. ${item.text}`),
      el(
        'div',
        { class: 'grades', role: 'radiogroup', style: 'grid-template-columns: repeat(2, 1fr)' },
        ...sheet.levels.map((l) =>
          el(
            'label',
            {},
            el('input', { type: 'radio', name, value: l.value, 'data-testid': `level-${i + 1}-${l.value}` }),
            el('span', {}, l.label),
          ),
        ),
      ),
    );
    return { item, card, read: () => card.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value };
  });
  const submit = el('button', { type: 'button', 'data-testid': 'survey-submit' }, '提交问卷') as HTMLButtonElement;
  const foot = el('div', { class: 'card' }, submit);
  submit.addEventListener('click', async () => {
    const missing = cards.findIndex((c) => !c.read());
    if (missing >= 0) return showError(cards[missing]!.card, `第${missing + 1}题尚未选择，请选择后再提交`);
    submit.disabled = true;
    try {
      await post('/api/survey/responses', {
        token,
        answers: Object.fromEntries(cards.map((c) => [String(c.item.id), c.read()!])),
      });
      store.removeItem('survey.token');
      app.replaceChildren(
        el(
          'div',
          { class: 'card big', 'data-testid': 'survey-finished' },
          el('div', { class: 'done' }, '已提交'),
          el('p', { class: 'muted' }, '感谢您参与满意度调查。'),
        ),
      );
    } catch (e) {
      showError(foot, (e as Error).message);
      submit.disabled = false;
    }
  });
  app.replaceChildren(head, ...cards.map((c) => c.card), foot);
}

start();
