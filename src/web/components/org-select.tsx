import { Select, Spin } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { orgsApi } from '../api/orgs';
import type { OrgSearchHit } from '../api/types';
import { useDebounced } from '../lib/use-debounced';

export interface OrgRef {
  id: number;
  name: string;
}

interface Props {
  value?: number | null;
  onChange?: (value: number | null, org: OrgRef | null) => void;
  /** Label of the current value, which may not be among the search results. */
  initial?: OrgRef | null;
  placeholder?: string;
  /** Organizations that must not be offered (e.g. the one being moved). */
  excludeIds?: number[];
  disabled?: boolean;
  allowClear?: boolean;
  id?: string;
  'data-testid'?: string;
}

interface OptionItem {
  value: number;
  label: string;
  path: string;
}

const toOption = (hit: OrgSearchHit): OptionItem => ({
  value: hit.id,
  label: hit.name,
  path: hit.pathNames.join(' / '),
});

/**
 * Picks one organization by searching /api/orgs/search: with 100,000 organizations a
 * pre-loaded list is out of the question, and the path tells same-named villages apart.
 */
export function OrgSelect({
  value,
  onChange,
  initial,
  placeholder = '输入名称或编码搜索组织',
  excludeIds,
  disabled,
  allowClear = true,
  id,
  ...rest
}: Props) {
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 300);
  const [hits, setHits] = useState<OptionItem[]>([]);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState(false);
  const picked = useRef<OptionItem | null>(initial ? { value: initial.id, label: initial.name, path: '' } : null);

  useEffect(() => {
    if (initial && (!picked.current || picked.current.value !== initial.id)) {
      picked.current = { value: initial.id, label: initial.name, path: '' };
    }
  }, [initial]);

  useEffect(() => {
    if (!open) return;
    const ctrl = new AbortController();
    setLoading(true);
    orgsApi
      .search({ q: q || undefined, limit: 30 }, ctrl.signal)
      .then((page) => setHits(page.items.map(toOption)))
      .catch(() => setHits([]))
      .finally(() => {
        if (!ctrl.signal.aborted) setLoading(false);
      });
    return () => ctrl.abort();
  }, [q, open]);

  const options = useMemo(() => {
    const list = hits.filter((h) => !excludeIds?.includes(h.value));
    const current = picked.current;
    if (current && value === current.value && !list.some((o) => o.value === current.value)) list.unshift(current);
    return list;
  }, [hits, excludeIds, value]);

  return (
    <Select<number, OptionItem>
      id={id}
      data-testid={rest['data-testid']}
      value={value ?? undefined}
      placeholder={placeholder}
      disabled={disabled}
      allowClear={allowClear}
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
      onChange={(v, opt) => {
        const item = Array.isArray(opt) ? undefined : opt;
        picked.current = item ?? null;
        setTerm('');
        onChange?.(v ?? null, item ? { id: item.value, name: item.label } : null);
      }}
      style={{ width: '100%' }}
      popupMatchSelectWidth
    />
  );
}
