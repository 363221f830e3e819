import { Select, Spin } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { orgsApi } from '../api/orgs';
import { useDebounced } from '../lib/use-debounced';
import { OrgSelect, type OrgRef } from './org-select';

/** Organization names already looked up, so a form with many bound ids asks once per id. */
const nameCache = new Map<number, Promise<string>>();

/** Names the server already sent with a page (campaign detail's orgNames): no lookups, none refused. */
export function primeOrgNames(names: Record<string, string>) {
  for (const [id, name] of Object.entries(names)) nameCache.set(Number(id), Promise.resolve(name));
}

export function orgName(id: number): Promise<string> {
  let p = nameCache.get(id);
  if (!p) {
    p = orgsApi.detail(id).then(
      (d) => d.org.name,
      () => {
        nameCache.delete(id);
        return `组织 #${id}`;
      },
    );
    nameCache.set(id, p);
  }
  return p;
}

interface SingleProps {
  value?: number | null;
  onChange?: (value: number | null) => void;
  placeholder?: string;
  disabled?: boolean;
  id?: string;
  'data-testid'?: string;
}

/**
 * OrgSelect for a form field that only stores an id (route targets in campaign settings):
 * it looks the name up so a saved value shows as a name rather than a number.
 */
export function OrgIdSelect({ value, onChange, ...rest }: SingleProps) {
  const [initial, setInitial] = useState<OrgRef | null>(null);
  useEffect(() => {
    let live = true;
    if (value != null && initial?.id !== value) void orgName(value).then((name) => live && setInitial({ id: value, name }));
    return () => {
      live = false;
    };
  }, [value, initial?.id]);
  // OrgSelect reads `initial` when it mounts, so it is remounted once the name is known.
  return (
    <OrgSelect
      key={initial?.id ?? 'none'}
      {...rest}
      value={value ?? null}
      initial={initial}
      onChange={(v, org) => {
        if (org) setInitial(org);
        onChange?.(v);
      }}
    />
  );
}

interface MultiProps {
  value?: number[];
  onChange?: (value: number[]) => void;
  placeholder?: string;
  disabled?: boolean;
  id?: string;
  'data-testid'?: string;
}

/** Several organizations by search, for explicit lists (002: which 党委 are 县直系统党委). */
export function OrgMultiSelect({ value = [], onChange, placeholder = '输入名称搜索并选择党组织', disabled, id, ...rest }: MultiProps) {
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 300);
  const [hits, setHits] = useState<{ value: number; label: string; path: string }[]>([]);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState(false);
  const [names, setNames] = useState<Record<number, string>>({});
  const known = useRef(names);
  known.current = names;

  useEffect(() => {
    let live = true;
    for (const v of value) {
      if (known.current[v] === undefined) void orgName(v).then((n) => live && setNames((m) => ({ ...m, [v]: n })));
    }
    return () => {
      live = false;
    };
  }, [value]);

  useEffect(() => {
    if (!open) return;
    const ctrl = new AbortController();
    setLoading(true);
    orgsApi
      .search({ q: q || undefined, limit: 30 }, ctrl.signal)
      .then((page) => setHits(page.items.map((h) => ({ value: h.id, label: h.name, path: h.pathNames.join(' / ') }))))
      .catch(() => setHits([]))
      .finally(() => {
        if (!ctrl.signal.aborted) setLoading(false);
      });
    return () => ctrl.abort();
  }, [q, open]);

  const options = useMemo(() => {
    const list = [...hits];
    for (const v of value) if (!list.some((o) => o.value === v)) list.unshift({ value: v, label: names[v] ?? `#${v}`, path: '' });
    return list;
  }, [hits, value, names]);

  return (
    <Select<number[]>
      id={id}
      data-testid={rest['data-testid']}
      mode="multiple"
      value={value}
      placeholder={placeholder}
      disabled={disabled}
      showSearch={{ filterOption: false, onSearch: setTerm, searchValue: term }}
      onOpenChange={setOpen}
      options={options}
      notFoundContent={loading ? <Spin size="small" /> : '没有匹配的组织'}
      optionRender={(opt) => (
        <div style={{ lineHeight: 1.4, padding: '2px 0' }}>
          <div>{opt.data.label}</div>
          {opt.data.path && <div className="org-search-path">{opt.data.path}</div>}
        </div>
      )}
      onChange={(v) => {
        setTerm('');
        for (const h of hits) if (v.includes(h.value)) setNames((m) => (m[h.value] ? m : { ...m, [h.value]: h.label }));
        onChange?.(v);
      }}
      style={{ width: '100%' }}
    />
  );
}
