import { Select, Spin } from 'antd';
import { keepPreviousData, queryOptions, useQueries, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { orgsApi } from '../api/orgs';
import { useDebounced } from '../lib/use-debounced';
import { OrgSelect, type OrgRef } from './org-select';

/** Organization names already looked up, so a form with many bound ids asks once per id. */
const nameCache = new Map<number, Promise<string>>();

/** Names the server already sent with a page (campaign detail's orgNames): no lookups, none refused. */
export function primeOrgNames(names: Record<string, string>) {
  for (const [id, name] of Object.entries(names)) nameCache.set(Number(id), Promise.resolve(name));
}

/** One organization's name as a query: looked up once per id (through the cache above), never asked again. */
const orgNameQuery = (id: number) =>
  queryOptions({ queryKey: ['org-name', id], queryFn: () => orgName(id), staleTime: Number.POSITIVE_INFINITY });

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
  const [picked, setPicked] = useState<OrgRef | null>(null);
  const looked = useQuery({ ...orgNameQuery(value ?? 0), enabled: value != null && picked?.id !== value });
  // The organization picked here, else the stored id's name once known, else the previous one until then.
  const initial =
    picked?.id === value
      ? picked
      : value != null && looked.data !== undefined
        ? { id: value, name: looked.data }
        : picked;
  // OrgSelect reads `initial` when it mounts, so it is remounted once the name is known.
  return (
    <OrgSelect
      key={initial?.id ?? 'none'}
      {...rest}
      value={value ?? null}
      initial={initial}
      onChange={(v, org) => {
        if (org) setPicked(org);
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
export function OrgMultiSelect({
  value = [],
  onChange,
  placeholder = '输入名称搜索并选择党组织',
  disabled,
  id,
  ...rest
}: MultiProps) {
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 300);
  const [open, setOpen] = useState(false);
  // Names of organizations picked from the hits here; the others (saved ids) are looked up.
  const [picked, setPicked] = useState<Record<number, string>>({});
  const looked = useQueries({
    queries: value.map((v) => ({ ...orgNameQuery(v), enabled: picked[v] === undefined })),
  });
  const names = useMemo(() => {
    const out: Record<number, string> = { ...picked };
    value.forEach((v, i) => {
      const name = looked[i]?.data;
      if (out[v] === undefined && name !== undefined) out[v] = name;
    });
    return out;
  }, [picked, value, looked]);

  // Asked while the list is open; the previous hits stay shown while the next search loads.
  const search = useQuery({
    queryKey: ['org-search', q],
    queryFn: ({ signal }) => orgsApi.search({ q: q || undefined, limit: 30 }, signal),
    enabled: open,
    // lib/query's `paged`, spelled out: lib/query imports this file (primeOrgNames).
    placeholderData: keepPreviousData,
  });
  const hits = useMemo(
    () =>
      search.isError
        ? []
        : (search.data?.items ?? []).map((h) => ({ value: h.id, label: h.name, path: h.pathNames.join(' / ') })),
    [search.isError, search.data],
  );
  const loading = search.isFetching;

  const options = useMemo(() => {
    const list = [...hits];
    for (const v of value)
      if (!list.some((o) => o.value === v)) list.unshift({ value: v, label: names[v] ?? `#${v}`, path: '' });
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
        for (const h of hits)
          if (v.includes(h.value)) setPicked((m) => (m[h.value] ? m : { ...m, [h.value]: h.label }));
        onChange?.(v);
      }}
      style={{ width: '100%' }}
    />
  );
}
