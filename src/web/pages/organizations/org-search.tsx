import { Empty, Pagination, Select, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { type OrgSearchPage, type OrgSearchQuery, orgsApi } from '../../api/orgs';
import type { OrgSearchHit } from '../../api/types';
import { toOptions, useMeta } from '../../lib/meta';

/** The search box (as typed) and the filters beside it: the search's own filters. */
export type OrgSearchCriteria = Pick<OrgSearchQuery, 'sector' | 'kind'> & { q: string };

export const isSearching = (c: OrgSearchCriteria) => !!(c.q.trim() || c.sector || c.kind);

const PAGE_SIZE = 20;

/** The sector and kind filters that sit beside the search box. */
export function OrgSearchFilters({
  value,
  onChange,
}: {
  value: OrgSearchCriteria;
  onChange: (c: OrgSearchCriteria) => void;
}) {
  const { sectors, kinds } = useMeta();
  return (
    <>
      <Select
        allowClear
        placeholder="领域"
        value={value.sector}
        options={toOptions(sectors)}
        onChange={(sector?: string) => onChange({ ...value, sector })}
        style={{ width: 150 }}
        data-testid="org-search-sector"
      />
      <Select
        allowClear
        placeholder="组织类别"
        value={value.kind}
        options={toOptions(kinds)}
        onChange={(kind?: string) => onChange({ ...value, kind })}
        style={{ width: 130 }}
        data-testid="org-search-kind"
      />
    </>
  );
}

interface ResultsProps {
  criteria: OrgSearchCriteria;
  selectedId: number | null;
  onOpen: (hit: OrgSearchHit) => void;
}

/** Search results with each organization's path, so same-named branches can be told apart. */
export function OrgSearchResults({ criteria, selectedId, onOpen }: ResultsProps) {
  const { kindLabel, sectorLabel } = useMeta();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<OrgSearchPage | null>(null);
  const [loading, setLoading] = useState(false);
  const { q, sector, kind } = criteria;

  useEffect(() => setPage(1), [q, sector, kind]);

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    orgsApi
      .search({ q: q.trim() || undefined, sector, kind, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }, ctrl.signal)
      .then((res) => setData(res))
      .catch(() => {
        if (!ctrl.signal.aborted) setData({ items: [], total: 0 });
      })
      .finally(() => {
        if (!ctrl.signal.aborted) setLoading(false);
      });
    return () => ctrl.abort();
  }, [q, sector, kind, page]);

  return (
    <div data-testid="org-search-results">
      <Spin spinning={loading}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {data ? `共找到 ${data.total} 个组织` : '正在搜索…'}
        </Typography.Text>
        {data && !data.items.length && !loading && (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有匹配的组织" />
        )}
        {/* biome-ignore lint/a11y/useSemanticElements: antd's block layout; the roles say what ul/li would */}
        <div role="list">
          {data?.items.map((hit) => (
            // biome-ignore lint/a11y/useSemanticElements: as above
            <div
              key={hit.id}
              role="listitem"
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a hit opens on Enter/Space like a link, so it takes focus
              tabIndex={0}
              className="org-search-hit"
              style={selectedId === hit.id ? { background: '#fff1f0' } : undefined}
              onClick={() => onOpen(hit)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onOpen(hit);
                }
              }}
              data-testid="org-search-hit"
              data-org-id={hit.id}
            >
              <div style={{ display: 'flex', alignItems: 'center', gap: 6, flexWrap: 'wrap' }}>
                <Typography.Text strong>{hit.name}</Typography.Text>
                <Tag style={{ marginInlineEnd: 0 }}>{kindLabel(hit.kind)}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {sectorLabel(hit.sector)} · {hit.code}
                </Typography.Text>
              </div>
              <div className="org-search-path">{hit.pathNames.join(' / ')}</div>
            </div>
          ))}
        </div>
        {data && data.total > PAGE_SIZE && (
          <Pagination
            style={{ marginTop: 8, textAlign: 'right' }}
            size="small"
            current={page}
            pageSize={PAGE_SIZE}
            total={data.total}
            showSizeChanger={false}
            onChange={setPage}
          />
        )}
      </Spin>
    </div>
  );
}
