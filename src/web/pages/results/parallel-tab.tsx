import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, InputNumber, Space, Table, Tag, Upload } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import { type ParallelOptions, type ParallelRow, resultsApi } from '../../api/results';
import { notify } from '../../lib/notify';

/** 平行考核、差额否决 (R-USE-5): party-building beside performance, honour candidates, converted points. */
export function ParallelTab({ campaignId, canManage }: { campaignId: number; canManage: boolean }) {
  const [opts, setOpts] = useState<ParallelOptions>({ honours: 0, margin: 1.5, ratio: 20 });
  const [data, setData] = useState<{ locked: boolean; candidates: number; rows: ParallelRow[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<{ row: number; message: string }[]>([]);
  const load = useCallback(() => {
    resultsApi.parallel(campaignId, opts).then((d) => { setData(d); setError(null); }).catch((e) => setError(isApiError(e) ? e.message : '加载失败'));
  }, [campaignId, opts]);
  useEffect(load, [load]);
  const upload = async (file: File) => {
    try {
      const r = await resultsApi.importPerformance(campaignId, file);
      notify.success(`已导入${r.imported}个单位的绩效考核结果`);
      setRowErrors([]);
      load();
    } catch (e) {
      const details = isApiError(e) ? (e.details as { errors?: { row: number; message: string }[] } | undefined) : undefined;
      setRowErrors(details?.errors ?? []);
      notify.error(isApiError(e) ? e.message : '导入失败');
    }
    return false;
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {error && <Alert type="warning" showIcon message={error} />}
      {data && !data.locked && <Alert type="info" showIcon message="综合评价结果锁定后，才显示党建排名、折算得分和评优候选。" />}
      {rowErrors.length > 0 && (
        <Alert type="error" showIcon message="导入失败，未导入任何数据" description={rowErrors.map((r) => `第${r.row}行：${r.message}`).join('；')} />
      )}
      <Space wrap>
        {canManage && <Button icon={<DownloadOutlined />} onClick={() => resultsApi.performanceTemplate()}>下载绩效导入模板</Button>}
        {canManage && (
          <Upload accept=".xlsx" showUploadList={false} beforeUpload={(f) => upload(f)}>
            <Button icon={<UploadOutlined />}>导入绩效考核结果</Button>
          </Upload>
        )}
        <span>评优名额</span><InputNumber min={0} max={100000} value={opts.honours} onChange={(v) => setOpts({ ...opts, honours: v ?? 0 })} />
        <span>差额比例 1:</span><InputNumber min={1} max={5} step={0.1} value={opts.margin} onChange={(v) => setOpts({ ...opts, margin: v ?? 1.5 })} />
        <span>党建得分折算（%）</span><InputNumber min={0} max={100} value={opts.ratio} onChange={(v) => setOpts({ ...opts, ratio: v ?? 20 })} />
        <Button icon={<DownloadOutlined />} disabled={!data?.locked} onClick={() => resultsApi.exportParallel(campaignId, opts)}>导出（考核办用）</Button>
      </Space>
      {data && opts.honours > 0 && <span>按1:{opts.margin}差额，评优候选{data.candidates}个，名额{opts.honours}个。</span>}
      <Table<ParallelRow> size="small" rowKey="orgId" dataSource={data?.rows ?? []} loading={!data && !error} pagination={{ pageSize: 30 }} data-testid="parallel-table"
        columns={[
          { title: '党组织', dataIndex: 'name' },
          { title: '党建排名', dataIndex: 'partyRank', width: 90, sorter: (a, b) => (a.partyRank ?? 1e9) - (b.partyRank ?? 1e9) },
          { title: '党建等次', dataIndex: 'gradeLabel', width: 90 },
          { title: '绩效排名', dataIndex: 'performanceRank', width: 90, sorter: (a, b) => (a.performanceRank ?? 1e9) - (b.performanceRank ?? 1e9) },
          { title: '折算得分', dataIndex: 'converted', width: 90 },
          { title: '评优', width: 120, render: (_, r) => (r.honour ? <Tag color="green">可评优</Tag> : r.candidate ? <Tag>候选</Tag> : null) },
          { title: '说明', dataIndex: 'note' },
        ]} />
    </Space>
  );
}
