import { ArrowLeftOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Grid, Input, Result, Row } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router-dom';
import type { OrgDetail as OrgDetailData, OrgNode } from '../../api/types';
import { useAbilities, useUser } from '../../auth/auth-context';
import { useDebounced } from '../../lib/use-debounced';
import { useViewportHeight } from '../../lib/use-viewport-height';
import { ImportPanel } from './import-panel';
import { OrgDetail } from './org-detail';
import { isSearching, OrgSearchFilters, OrgSearchResults, type OrgSearchCriteria } from './org-search';
import { OrgTree, type OrgTreeHandle } from './org-tree';

export default function OrgTreePage() {
  const user = useUser();
  const abilities = useAbilities();
  const params = useParams<{ orgId?: string }>();
  const orgId = params.orgId && /^\d+$/.test(params.orgId) ? Number(params.orgId) : null;

  // A secretary sees one organization, their own: no tree to browse.
  if (abilities.orgs.ownOnly) {
    if (!user.orgId)
      return <Result status="warning" title="账号尚未关联党组织" subTitle="请联系组织部管理员设置所在组织。" />;
    if (orgId !== user.orgId) return <Navigate to={`/orgs/${user.orgId}`} replace />;
    return <OwnOrganization orgId={user.orgId} />;
  }
  return <OrgBrowser orgId={orgId} canEdit={abilities.orgs.edit} />;
}

function OwnOrganization({ orgId }: { orgId: number }) {
  const noop = useCallback(() => undefined, []);
  return <OrgDetail orgId={orgId} canEdit={false} onOpen={noop} onUpdated={noop} onCreated={noop} onMoved={noop} />;
}

function OrgBrowser({ orgId, canEdit }: { orgId: number | null; canEdit: boolean }) {
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const isDesktop = screens.lg ?? true;
  const viewport = useViewportHeight();
  const tree = useRef<OrgTreeHandle>(null);
  // Reveal the organization in the tree when it was opened from elsewhere (search, breadcrumb, a link).
  const revealNext = useRef(true);

  const [term, setTerm] = useState('');
  const q = useDebounced(term, 300);
  const [filters, setFilters] = useState<Omit<OrgSearchCriteria, 'q'>>({});
  const criteria: OrgSearchCriteria = { q, ...filters };
  const searching = isSearching(criteria);

  const open = useCallback(
    (id: number, reveal: boolean) => {
      revealNext.current = reveal;
      navigate(`/orgs/${id}`);
    },
    [navigate],
  );

  const onLoaded = useCallback((detail: OrgDetailData) => {
    if (!revealNext.current) return;
    revealNext.current = false;
    void tree.current?.reveal(
      detail.ancestors.map((a) => a.id),
      detail.org.id,
    );
  }, []);

  useEffect(() => {
    document.title = '组织架构 · 述评考';
  }, []);

  const treeHeight = Math.max(320, viewport - (canEdit ? 330 : 270));
  const showList = isDesktop || orgId === null;
  const showDetail = isDesktop || orgId !== null;

  return (
    <div>
      {canEdit && showList && (
        <Card size="small" style={{ marginBottom: 12 }}>
          <ImportPanel onImported={() => void tree.current?.reloadAll()} />
        </Card>
      )}
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={9} xxl={7} style={{ display: showList ? undefined : 'none' }}>
          <Card size="small" title="组织架构" className="page-card">
            <div className="filters">
              <Input
                allowClear
                prefix={<SearchOutlined />}
                placeholder="搜索组织名称"
                value={term}
                onChange={(e) => setTerm(e.target.value)}
                onPressEnter={(e) => setTerm((e.target as HTMLInputElement).value)}
                style={{ flex: '1 1 100%' }}
                maxLength={100}
                data-testid="org-search"
              />
              <OrgSearchFilters
                value={{ q: term, ...filters }}
                onChange={({ sector, kind }) => setFilters({ sector, kind })}
              />
            </div>
            {searching && (
              <OrgSearchResults criteria={criteria} selectedId={orgId} onOpen={(hit) => open(hit.id, true)} />
            )}
            <div style={{ display: searching ? 'none' : undefined }}>
              <OrgTree
                ref={tree}
                selectedId={orgId}
                height={treeHeight}
                visible={!searching && showList}
                onSelect={(org: OrgNode) => open(org.id, false)}
              />
            </div>
          </Card>
        </Col>
        <Col xs={24} lg={15} xxl={17} style={{ display: showDetail ? undefined : 'none' }}>
          {!isDesktop && orgId !== null && (
            <Button
              type="link"
              icon={<ArrowLeftOutlined />}
              onClick={() => navigate('/orgs')}
              style={{ paddingInline: 0, marginBottom: 4 }}
            >
              返回组织列表
            </Button>
          )}
          {orgId !== null ? (
            <OrgDetail
              orgId={orgId}
              canEdit={canEdit}
              onOpen={(id) => open(id, true)}
              onLoaded={onLoaded}
              onUpdated={(org) => tree.current?.patchNode(org)}
              onCreated={(parentId) => void tree.current?.reloadChildren(parentId)}
              onMoved={(org, fromParentId) => {
                if (fromParentId != null) void tree.current?.reloadChildren(fromParentId);
                if (org.parentId != null) void tree.current?.reloadChildren(org.parentId);
                revealNext.current = true;
              }}
            />
          ) : (
            <Card>
              <Empty description="请在左侧组织树中选择组织，或搜索组织名称" />
            </Card>
          )}
        </Col>
      </Row>
    </div>
  );
}
