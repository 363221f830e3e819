import { ReloadOutlined } from '@ant-design/icons';
import { Empty, Spin, Tree, type TreeDataNode as DataNode, type TreeProps, Typography } from 'antd';
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type ComponentRef,
  type Ref,
} from 'react';
import { CHILDREN_PAGE, type OrgChildren, orgsApi } from '../../api/orgs';
import type { OrgNode } from '../../api/types';
import { useMeta } from '../../lib/meta';

/** The children loaded so far (the server's page answer, pages appended) and their load state. */
type ChildPage = OrgChildren & { loadingMore?: boolean; failed?: boolean };

export interface OrgTreeHandle {
  /** Re-reads the first page of a node's children (after create / move / import). */
  reloadChildren: (parentId: number) => Promise<void>;
  /** Re-reads the roots and forgets every loaded page. */
  reloadAll: () => Promise<void>;
  /** Updates a node's own fields in place (after an edit). */
  patchNode: (org: Partial<OrgNode> & { id: number }) => void;
  /** Expands the ancestors of an organization and scrolls to it when it is loaded. */
  reveal: (ancestorIds: number[], id: number) => Promise<void>;
}

interface Props {
  selectedId: number | null;
  onSelect: (org: OrgNode) => void;
  height: number;
  /** False while the tree is hidden (search results shown); scrolling waits until it is back. */
  visible?: boolean;
  ref?: Ref<OrgTreeHandle>;
}

const MORE_PREFIX = 'more:';
const RETRY_PREFIX = 'retry:';
const keyOf = (id: number) => String(id);

/**
 * The organization tree, loaded one level and one page (200) at a time and rendered with
 * virtual scrolling, so a province of 100,000 organizations stays responsive.
 */
export function OrgTree({ selectedId, onSelect, height, visible = true, ref }: Props) {
  const { kindLabel } = useMeta();
  const [roots, setRoots] = useState<OrgNode[] | null>(null);
  const [rootsFailed, setRootsFailed] = useState(false);
  const [pages, setPages] = useState<Map<number, ChildPage>>(() => new Map());
  const [expandedKeys, setExpandedKeys] = useState<string[]>([]);
  const nodes = useRef(new Map<number, OrgNode>());
  // Handlers read the latest pages without re-creating themselves on every load.
  const pagesRef = useRef(pages);
  useEffect(() => {
    pagesRef.current = pages;
  }, [pages]);
  const treeRef = useRef<ComponentRef<typeof Tree>>(null);
  const pendingScroll = useRef<number | null>(null);

  const remember = useCallback((items: OrgNode[]) => {
    for (const n of items) nodes.current.set(n.id, n);
  }, []);

  const fetchFirstPage = useCallback(
    async (parentId: number): Promise<ChildPage> => {
      let page: ChildPage;
      try {
        const res = await orgsApi.children(parentId, 0, CHILDREN_PAGE);
        remember(res.items);
        page = { items: res.items, total: res.total };
      } catch {
        // Resolve, never reject: the Tree retries a rejected loadData by itself, up to ten times.
        page = { items: [], total: 0, failed: true };
      }
      pagesRef.current = new Map(pagesRef.current).set(parentId, page);
      setPages((prev) => new Map(prev).set(parentId, page));
      return page;
    },
    [remember],
  );

  const loadRoots = useCallback(async () => {
    setRootsFailed(false);
    try {
      const { items } = await orgsApi.roots();
      remember(items);
      pagesRef.current = new Map();
      setPages(new Map());
      setRoots(items);
      // Open the scope's top level straight away: that is where everyone starts.
      const open = items.filter((r) => r.childCount > 0);
      setExpandedKeys(open.map((r) => keyOf(r.id)));
      await Promise.all(open.map((r) => fetchFirstPage(r.id)));
    } catch {
      setRoots([]);
      setRootsFailed(true);
    }
  }, [fetchFirstPage, remember]);

  useEffect(() => {
    void loadRoots();
  }, [loadRoots]);

  const loadMore = useCallback(
    async (parentId: number) => {
      const current = pagesRef.current.get(parentId);
      if (!current || current.loadingMore) return;
      setPages((prev) => new Map(prev).set(parentId, { ...current, loadingMore: true }));
      try {
        const page = await orgsApi.children(parentId, current.items.length, CHILDREN_PAGE);
        remember(page.items);
        setPages((prev) => {
          const now = prev.get(parentId) ?? current;
          const seen = new Set(now.items.map((i) => i.id));
          return new Map(prev).set(parentId, {
            items: [...now.items, ...page.items.filter((i) => !seen.has(i.id))],
            total: page.total,
          });
        });
      } catch {
        setPages((prev) => new Map(prev).set(parentId, { ...current, loadingMore: false }));
      }
    },
    [remember],
  );

  const patch = useCallback((org: Partial<OrgNode> & { id: number }) => {
    const before = nodes.current.get(org.id);
    if (!before) return;
    const after = { ...before, ...org };
    nodes.current.set(org.id, after);
    setRoots((list) => list?.map((n) => (n.id === org.id ? after : n)) ?? list);
    setPages((prev) => {
      const page = before.parentId != null ? prev.get(before.parentId) : undefined;
      if (!page) return prev;
      return new Map(prev).set(before.parentId!, {
        ...page,
        items: page.items.map((n) => (n.id === org.id ? after : n)),
      });
    });
  }, []);

  useImperativeHandle(
    ref,
    () => ({
      reloadChildren: async (parentId) => {
        const page = await fetchFirstPage(parentId);
        if (!page.failed) patch({ id: parentId, childCount: page.total });
        setExpandedKeys((keys) => (keys.includes(keyOf(parentId)) ? keys : [...keys, keyOf(parentId)]));
      },
      reloadAll: loadRoots,
      patchNode: (org) => patch(org),
      reveal: async (ancestorIds, id) => {
        for (const a of ancestorIds) {
          if (!pagesRef.current.has(a) && nodes.current.has(a)) await fetchFirstPage(a);
        }
        setExpandedKeys((keys) => [
          ...new Set([...keys, ...ancestorIds.filter((a) => nodes.current.has(a)).map(keyOf)]),
        ]);
        if (nodes.current.has(id)) {
          pendingScroll.current = id;
          setScrollTick((t) => t + 1);
        }
      },
    }),
    [fetchFirstPage, loadRoots, patch],
  );

  const treeData = useMemo<DataNode[]>(() => {
    const build = (node: OrgNode): DataNode => {
      const page = pages.get(node.id);
      let children: DataNode[] | undefined;
      if (page) {
        children = page.items.map(build);
        const left = page.total - page.items.length;
        if (page.failed) {
          children.push({ key: `${RETRY_PREFIX}${node.id}`, title: '加载失败，点击重试', isLeaf: true });
        } else if (left > 0) {
          children.push({
            key: `${MORE_PREFIX}${node.id}`,
            title: page.loadingMore ? '正在加载…' : `加载更多（剩余${left}个）`,
            isLeaf: true,
          });
        }
      }
      return { key: keyOf(node.id), title: node.name, isLeaf: node.childCount === 0 && !page?.items.length, children };
    };
    return (roots ?? []).map(build);
  }, [roots, pages]);

  // A hidden virtual list cannot measure its rows, so scroll only once it is visible and rendered.
  const [scrollTick, setScrollTick] = useState(0);
  useEffect(() => {
    const id = pendingScroll.current;
    if (!visible || id == null) return;
    const frame = requestAnimationFrame(() => {
      pendingScroll.current = null;
      treeRef.current?.scrollTo({ key: keyOf(id), align: 'auto', offset: 40 });
    });
    return () => cancelAnimationFrame(frame);
  }, [visible, scrollTick, treeData]);

  const loadedKeys = useMemo(() => [...pages.keys()].map(keyOf), [pages]);

  const onLoadData = useCallback<NonNullable<TreeProps['loadData']>>(
    async (node) => {
      const key = String(node.key);
      if (key.startsWith(MORE_PREFIX) || key.startsWith(RETRY_PREFIX)) return;
      const id = Number(key);
      if (!pagesRef.current.has(id)) await fetchFirstPage(id);
    },
    [fetchFirstPage],
  );

  const titleRender = useCallback(
    (data: DataNode) => {
      const key = String(data.key);
      if (key.startsWith(MORE_PREFIX) || key.startsWith(RETRY_PREFIX)) {
        return (
          <span className="org-tree-more" data-testid="org-tree-more">
            {key.startsWith(RETRY_PREFIX) && <ReloadOutlined style={{ marginInlineEnd: 4 }} />}
            {data.title as string}
          </span>
        );
      }
      const org = nodes.current.get(Number(key));
      return (
        <span className="org-tree-title" data-org-id={key}>
          <span>{data.title as string}</span>
          {org && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {kindLabel(org.kind)}
              {org.childCount > 0 ? ` · ${org.childCount}` : ''}
            </Typography.Text>
          )}
        </span>
      );
    },
    [kindLabel],
  );

  if (roots === null) {
    return (
      <div className="full-center" style={{ minHeight: 200 }} data-testid="org-tree">
        <Spin />
      </div>
    );
  }
  if (!roots.length) {
    return (
      <div data-testid="org-tree">
        <Empty description={rootsFailed ? '组织架构加载失败' : '暂无可查看的组织'}>
          {rootsFailed && (
            <Typography.Link onClick={() => void loadRoots()}>
              <ReloadOutlined /> 重试
            </Typography.Link>
          )}
        </Empty>
      </div>
    );
  }

  return (
    <div data-testid="org-tree">
      <Tree
        ref={treeRef}
        treeData={treeData}
        loadData={onLoadData}
        loadedKeys={loadedKeys}
        expandedKeys={expandedKeys}
        onExpand={(keys) => setExpandedKeys(keys.map(String))}
        selectedKeys={selectedId != null ? [keyOf(selectedId)] : []}
        onSelect={(_keys, info) => {
          const key = String(info.node.key);
          if (key.startsWith(MORE_PREFIX)) return void loadMore(Number(key.slice(MORE_PREFIX.length)));
          if (key.startsWith(RETRY_PREFIX)) return void fetchFirstPage(Number(key.slice(RETRY_PREFIX.length)));
          const org = nodes.current.get(Number(key));
          if (org) onSelect(org);
        }}
        titleRender={titleRender}
        height={height}
        blockNode
        showLine={false}
      />
    </div>
  );
}
