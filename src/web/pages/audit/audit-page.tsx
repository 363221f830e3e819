import { DownloadOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Input, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { paged, usePage } from '../../lib/query';
import { CHAIN_BREAK_LABELS } from '../../../domain/audit-chain';
import { type AuditChainReport, auditApi } from '../../api/audit';
import type { AuditEntry } from '../../api/types';
import { formatDateTime, shanghaiDayEnd, shanghaiDayStart } from '../../lib/time';
import { useDebounced } from '../../lib/use-debounced';
import { ACTION_LABELS, AUDIT_MODULES, moduleOf, TARGET_LABELS } from './action-labels';

/** Reasons of a chain break (src/domain/audit-chain.ts CHAIN_BREAK_LABELS). */
const BREAK_LABELS: Record<string, string> = CHAIN_BREAK_LABELS;

const MODULE_OPTIONS = AUDIT_MODULES.map((m) => ({ value: m.prefix, label: m.label }));

/** Actions of the chosen module, or of all modules grouped by module. */
function actionOptions(prefix: string | undefined) {
  const modules = prefix ? AUDIT_MODULES.filter((m) => m.prefix === prefix) : AUDIT_MODULES;
  return modules.map((m) => ({
    label: m.label,
    title: m.label,
    options: Object.entries(m.actions).map(([value, label]) => ({ value, label })),
  }));
}

type RangeValue = [Dayjs | null, Dayjs | null] | null;

function DetailView({ detail }: { detail: unknown }) {
  if (
    detail === null ||
    detail === undefined ||
    (typeof detail === 'object' && !Object.keys(detail as object).length)
  ) {
    return <Typography.Text type="secondary">无详细信息</Typography.Text>;
  }
  return <pre className="audit-detail">{JSON.stringify(detail, null, 2)}</pre>;
}

export default function AuditPage() {
  const [range, setRange] = useState<RangeValue>(null);
  const [modulePrefix, setModulePrefix] = useState<string | undefined>();
  const [action, setAction] = useState<string | undefined>();
  const [result, setResult] = useState<'success' | 'failure' | undefined>();
  const [actorTerm, setActorTerm] = useState('');
  const [keywordTerm, setKeywordTerm] = useState('');
  const actor = useDebounced(actorTerm.trim(), 400);
  const q = useDebounced(keywordTerm.trim(), 400);
  const [pageSize, setPageSize] = useState(50);
  const [chain, setChain] = useState<AuditChainReport | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [exporting, setExporting] = useState(false);
  const verifyChain = useCallback(() => {
    setVerifying(true);
    auditApi
      .verify()
      .then(setChain)
      .catch(() => undefined)
      .finally(() => setVerifying(false));
  }, []);

  const from = range?.[0] ? shanghaiDayStart(range[0].format('YYYY-MM-DD')) : undefined;
  const to = range?.[1] ? shanghaiDayEnd(range[1].format('YYYY-MM-DD')) : undefined;

  useEffect(() => {
    document.title = '审计日志 · 述评考';
  }, []);

  // The server filters by code prefix: an exact action is narrower than its module.
  const actionFilter = action ?? modulePrefix;

  const exportXlsx = () => {
    setExporting(true);
    auditApi
      .exportXlsx({ q: q || undefined, action: actionFilter, actor: actor || undefined, result, from, to })
      .catch(() => undefined)
      .finally(() => setExporting(false));
  };

  const filters = { q: q || undefined, action: actionFilter, actor: actor || undefined, result, from, to };
  const [page, setPage] = usePage([filters, pageSize]);
  const query = { ...filters, offset: (page - 1) * pageSize, limit: pageSize };
  const list = useQuery({
    queryKey: ['audit', query],
    queryFn: ({ signal }) => auditApi.search(query, signal),
    ...paged,
  });
  const data = list.data ?? { items: [], total: 0 };

  const resetFilters = useCallback(() => {
    setRange(null);
    setModulePrefix(undefined);
    setAction(undefined);
    setResult(undefined);
    setActorTerm('');
    setKeywordTerm('');
  }, []);

  const columns: TableColumnsType<AuditEntry> = [
    {
      title: '时间（北京时间）',
      dataIndex: 'at',
      key: 'at',
      width: 180,
      render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v)}</span>,
    },
    { title: '操作人', dataIndex: 'actorName', key: 'actorName', width: 120 },
    { title: '模块', key: 'module', width: 120, render: (_, r) => moduleOf(r.action)?.label ?? '—' },
    {
      title: '操作',
      dataIndex: 'action',
      key: 'action',
      width: 170,
      render: (v: string) => (
        <div>
          <div>{ACTION_LABELS.get(v) ?? v}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {v}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: '对象',
      key: 'target',
      width: 140,
      render: (_, r) => `${TARGET_LABELS[r.targetType] ?? r.targetType}${r.targetId ? ` #${r.targetId}` : ''}`,
    },
    {
      title: '结果',
      dataIndex: 'result',
      key: 'result',
      width: 80,
      render: (v: string) =>
        v === 'success' ? (
          <Tag color="green">成功</Tag>
        ) : v === 'failure' ? (
          <Tag color="red">失败</Tag>
        ) : (
          <Tag>{v}</Tag>
        ),
    },
    { title: 'IP 地址', dataIndex: 'ip', key: 'ip', width: 140, render: (v: string | null) => v ?? '—' },
  ];

  return (
    <Card
      size="small"
      title="审计日志"
      className="page-card"
      extra={
        <>
          <Button
            size="small"
            icon={<DownloadOutlined />}
            loading={exporting}
            onClick={exportXlsx}
            style={{ marginRight: 8 }}
            data-testid="audit-export"
          >
            导出（含锚点）
          </Button>
          <Button size="small" loading={verifying} onClick={verifyChain} data-testid="audit-verify">
            校验审计链
          </Button>
        </>
      }
    >
      {chain && (
        <Alert
          style={{ marginBottom: 12 }}
          type={chain.ok ? 'success' : 'error'}
          showIcon
          closable
          onClose={() => setChain(null)}
          message={
            chain.ok
              ? `审计链完整：已校验 ${chain.checked} 条记录（序号 ${chain.head ?? '-'}–${chain.tail?.seq ?? '-'}，${Object.entries(
                  chain.algs,
                )
                  .map(([k, v]) => `${k}×${v}`)
                  .join('，')}）`
              : `审计链断裂：共 ${chain.breakCount} 处（${Object.entries(chain.reasons)
                  .map(([k, v]) => `${BREAK_LABELS[k] ?? k}×${v}`)
                  .join('，')}），首个断点序号 ${chain.breaks[0]?.seq}：${chain.breaks[0]?.message}`
          }
          description={
            chain.anchors
              ? `锚点：已核对 ${chain.anchors.total} 个签名锚点${chain.anchors.lastSeq !== null ? `，最近锚定至序号 ${chain.anchors.lastSeq}（${formatDateTime(chain.anchors.lastAt!)}）` : ''}；签名公钥指纹 ${chain.anchors.keyId ?? '-'}。导出时会签发新锚点，请打印或另存到本机以外。`
              : '本系统未启用审计链锚点，无法发现链尾被截断。'
          }
        />
      )}
      <div className="filters">
        <DatePicker.RangePicker
          value={range}
          onChange={(v) => setRange(v)}
          allowEmpty={[true, true]}
          placeholder={['开始日期', '结束日期']}
          style={{ width: 260 }}
          data-testid="audit-range"
        />
        <Select
          allowClear
          placeholder="模块"
          value={modulePrefix}
          onChange={(v: string | undefined) => {
            setModulePrefix(v);
            if (action && v && !action.startsWith(v)) setAction(undefined);
          }}
          options={MODULE_OPTIONS}
          style={{ width: 160 }}
          data-testid="audit-module"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="操作类型"
          value={action}
          onChange={setAction}
          options={actionOptions(modulePrefix)}
          style={{ width: 190 }}
          data-testid="audit-action"
        />
        <Input
          allowClear
          placeholder="操作人"
          value={actorTerm}
          onChange={(e) => setActorTerm(e.target.value)}
          style={{ width: 140 }}
          maxLength={64}
          data-testid="audit-actor"
        />
        <Select
          allowClear
          placeholder="结果"
          value={result}
          onChange={setResult}
          options={[
            { value: 'success', label: '成功' },
            { value: 'failure', label: '失败' },
          ]}
          style={{ width: 110 }}
          data-testid="audit-result"
        />
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder="关键词（对象编号、详情）"
          value={keywordTerm}
          onChange={(e) => setKeywordTerm(e.target.value)}
          style={{ width: 220 }}
          maxLength={100}
          data-testid="audit-keyword"
        />
        <Button onClick={resetFilters}>重置</Button>
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>
          刷新
        </Button>
      </div>
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        columns={columns}
        dataSource={data.items}
        scroll={{ x: 980 }}
        expandable={{ expandedRowRender: (r) => <DetailView detail={r.detail} /> }}
        pagination={{
          current: page,
          pageSize,
          total: data.total,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (t) => `共 ${t} 条`,
          onChange: (p, s) => {
            if (s !== pageSize) setPageSize(s);
            else setPage(p);
          },
        }}
        data-testid="audit-table"
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
        审计日志只可查询，不可修改或删除。时间均按北京时间（Asia/Shanghai）显示和筛选。
      </Typography.Paragraph>
    </Card>
  );
}
