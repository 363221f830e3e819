/**
 * The phone page (R-VOTE-1…3): plain DOM, no framework, so it loads fast on a slow network. The code comes
 * in the URL fragment (#c=…), which browsers never send to the server; it is then removed from the address
 * bar and kept in sessionStorage only, so a refresh still works and a shared phone does not keep it.
 */
import './vote.css';
import type { z } from 'zod';
import type { Grade } from '../../domain/grades';
import type { CastOut, VoteSheetOut } from '../../server/modules/ballots/schemas';
import { app, el, post, readFragmentSecret, showAlert, store } from './common';

const GRADES: Array<[Grade, string]> = [
  ['good', '好'],
  ['fair', '较好'],
  ['average', '一般'],
  ['poor', '差'],
];
const MAX_TEXT = 500;

// The server's zod schemas (ballots/schemas.ts) are the contract; type-only imports, so nothing reaches this bundle.
type Sheet = z.infer<typeof VoteSheetOut>;
type CastAnswer = z.infer<typeof CastOut>;

const showError = (where: HTMLElement, message: string) => showAlert(where, message, 'vote-error');
const showWaiting = (where: HTMLElement, n: number) =>
  showAlert(
    where,
    `已收到您的${n}张选票。为保护匿名，选票将与其他人的选票一起保存，请勿关闭本页面……`,
    'vote-waiting',
    'info',
  );

function start() {
  const code = readFragmentSecret('c', 'vote.code');
  const codeInput = el('input', {
    type: 'text',
    autocomplete: 'off',
    autocapitalize: 'characters',
    maxlength: '20',
    'data-testid': 'vote-code',
    placeholder: '投票条上的投票码',
  }) as HTMLInputElement;
  codeInput.value = code;
  const room = el('input', {
    inputmode: 'numeric',
    pattern: '[0-9]*',
    maxlength: '6',
    autocomplete: 'off',
    'data-testid': 'vote-room',
    placeholder: '6位数字',
  }) as HTMLInputElement;
  room.value = store.getItem('vote.room') ?? '';
  const go = el('button', { type: 'submit', 'data-testid': 'vote-start' }, '开始评议') as HTMLButtonElement;
  const form = el(
    'form',
    { class: 'card' },
    el('h2', {}, '请输入会场码'),
    el('p', { class: 'muted' }, '会场码显示在会场大屏上。投票匿名进行，系统不记录您的身份。'),
    ...(code ? [] : [el('label', { class: 'f' }, '投票码'), codeInput]),
    el('label', { class: 'f' }, '会场码'),
    room,
    go,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    go.disabled = true;
    try {
      const auth = { code: codeInput.value.trim(), roomCode: room.value.trim() };
      const sheet = await post<Sheet>('/api/vote/sheet', auth);
      store.setItem('vote.code', auth.code);
      store.setItem('vote.room', auth.roomCode);
      render(sheet, auth);
    } catch (e) {
      showError(form, (e as Error).message);
    } finally {
      go.disabled = false;
    }
  });
  app.replaceChildren(form);
}

function finished(sheet: Sheet) {
  app.replaceChildren(
    el(
      'div',
      { class: 'card big', 'data-testid': 'vote-finished' },
      el('div', { class: 'done' }, '已提交'),
      el('p', { class: 'muted' }, `${sheet.meetingTitle}：您已完成全部评议，感谢参与。`),
    ),
  );
}

function render(sheet: Sheet, auth: { code: string; roomCode: string }) {
  if (sheet.reporters.every((r) => r.done)) return finished(sheet);
  const cards = new Map<
    number,
    { card: HTMLElement; read(): { reporterId: number; grade: Grade; problems: string; suggestions: string } | null }
  >();
  const head = el(
    'div',
    { class: 'card' },
    el('h2', {}, sheet.meetingTitle),
    el('div', { class: 'muted' }, `参评人员类别：${sheet.categoryLabel}`),
    ...(sheet.rehearsal ? [el('span', { class: 'tag' }, '演练，不计入正式结果')] : []),
  );
  const list: HTMLElement[] = [head];

  async function submit(ids: number[], where: HTMLElement, button: HTMLButtonElement) {
    const ballots = ids.map((id) => cards.get(id)!.read()).filter((b) => b !== null);
    if (ballots.length < ids.length || ballots.length === 0) {
      return showError(
        where,
        ids.length === 1
          ? '请先选择总体评价（好、较好、一般、差）'
          : '还有述职对象未选择总体评价，请逐一选择后再全部提交',
      );
    }
    button.disabled = true;
    let body = ballots.map((b) => ({
      reporterId: b.reporterId,
      grade: b.grade,
      ...(b.problems ? { problems: b.problems } : {}),
      ...(b.suggestions ? { suggestions: b.suggestions } : {}),
    }));
    try {
      // A ballot is stored only together with at least the minimum group of others (匿名保护); until then the server
      // answers "pending" and this page asks again with the same ballots — never a second ballot.
      for (let again = false; ; again = true) {
        let res: CastAnswer;
        try {
          res = await post<CastAnswer>('/api/vote/ballots', { ...auth, ballots: body });
        } catch (e) {
          // Asked again after "pending": "already voted" means the ballots this page sent were stored meanwhile.
          if (!again || (e as { code?: string }).code !== 'CODE_USED') throw e;
          res = { accepted: [], alreadyVoted: body.map((b) => b.reporterId), pending: [] };
        }
        for (const id of [...res.accepted, ...res.alreadyVoted]) {
          const r = sheet.reporters.find((x) => x.reporterId === id)!;
          r.done = true;
        }
        if (!res.pending?.length) break;
        body = body.filter((b) => res.pending.includes(b.reporterId));
        showWaiting(where, res.pending.length);
        await new Promise((r) => setTimeout(r, 1500));
      }
      render(sheet, auth);
    } catch (e) {
      showError(where, (e as Error).message);
      button.disabled = false;
    }
  }

  for (const r of sheet.reporters) {
    const card = el('section', { class: 'card', 'data-testid': `reporter-${r.reporterId}` });
    card.append(el('h3', {}, r.form.title), el('h2', {}, r.name + (r.secretaryName ? `（${r.secretaryName}）` : '')));
    if (r.done) {
      card.append(el('div', { class: 'done', 'data-testid': 'vote-done' }, '已提交'));
      list.push(card);
      continue;
    }
    const name = `g${r.reporterId}`;
    const grades = el(
      'div',
      { class: 'grades', role: 'radiogroup' },
      ...GRADES.map(([g, label]) =>
        el(
          'label',
          {},
          el('input', { type: 'radio', name, value: g, 'data-testid': `grade-${r.reporterId}-${g}` }),
          el('span', {}, label),
        ),
      ),
    );
    const text = (placeholder: string) => {
      const t = el('textarea', { maxlength: String(MAX_TEXT), placeholder }) as HTMLTextAreaElement;
      const n = el('div', { class: 'count' }, `0/${MAX_TEXT}`);
      t.addEventListener('input', () => {
        n.textContent = `${t.value.length}/${MAX_TEXT}`;
      });
      return [t, n] as const;
    };
    const [problems, pc] = text('选填');
    const [suggestions, sc] = text('选填');
    const button = el(
      'button',
      { type: 'button', class: 'secondary', 'data-testid': `submit-${r.reporterId}` },
      '提交此项',
    ) as HTMLButtonElement;
    card.append(
      el('label', { class: 'f' }, r.form.overall),
      grades,
      el('label', { class: 'f' }, r.form.problems),
      problems,
      pc,
      el('label', { class: 'f' }, r.form.suggestions),
      suggestions,
      sc,
      button,
    );
    cards.set(r.reporterId, {
      card,
      read: () => {
        const picked = card.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`);
        return picked
          ? {
              reporterId: r.reporterId,
              grade: picked.value as Grade,
              problems: problems.value.trim(),
              suggestions: suggestions.value.trim(),
            }
          : null;
      },
    });
    button.addEventListener('click', () => void submit([r.reporterId], card, button));
    list.push(card);
  }
  const pending = sheet.reporters.filter((r) => !r.done).map((r) => r.reporterId);
  const all = el(
    'button',
    { type: 'button', 'data-testid': 'submit-all' },
    `全部提交（${pending.length}项）`,
  ) as HTMLButtonElement;
  const foot = el('div', { class: 'card' }, el('p', { class: 'muted' }, sheet.reporters[0]?.form.note ?? ''), all);
  all.addEventListener('click', () => void submit(pending, foot, all));
  list.push(foot);
  app.replaceChildren(...list);
}

start();
