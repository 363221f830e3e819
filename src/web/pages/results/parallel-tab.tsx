import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, InputNumber, Space, Table, Tag, Tooltip, Typography, Upload } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import { type ParallelRow, type ParallelView, resultsApi } from '../../api/results';
import { notify } from '../../lib/notify';
import { useLastData } from '../../lib/query';

/**
 * 平行考核、差额否决 (R-USE-5): party-building beside performance, converted points, and for each honour of the plan
 * (004: 年度目标考核先进单位、主要负责人和党建工作直接责任人年度考核优秀、七一表彰) its places, its 1:1.5 candidates and
 * who may be honoured.
 */
export function ParallelTab({ campaignId, canManage }: { campaignId: number; canManage: boolean }) {
  const [places, setPlaces] = useState<Record<string, number>>({});
  const [rowErrors, setRowErrors] = useState<{ row: number; message: string }[]>([]);
  const parallel = useQuery({
    queryKey: ['parallel', campaignId],
    queryFn: ({ signal }) => resultsApi.parallel(campaignId, signal),
  });
  const data: ParallelView | null = useLastData(parallel.data) ?? null;
  const error = parallel.error ? (isApiError(parallel.error) ? parallel.error.message : '加载失败') : null;
  // Each answer resets the places being edited to what the server holds.
  useEffect(() => {
    if (parallel.data) setPlaces(Object.fromEntries(parallel.data.honours.map((h) => [h.key, h.places])));
  }, [parallel.data]);
  const load = () => void parallel.refetch();
  const upload = async (file: File) => {
    try {
      const r = await resultsApi.importPerformance(campaignId, file);
      notify.success(
        `已导入${r.imported}个单位的绩效考核结果${r.rankedFromScores ? '（表中未填排名，已按绩效得分排名）' : ''}`,
      );
      setRowErrors([]);
      load();
    } catch (e) {
      const details = isApiError(e)
        ? (e.details as { errors?: { row: number; message: string }[] } | undefined)
        : undefined;
      setRowErrors(details?.errors ?? []);
      notify.error(isApiError(e) ? e.message : '导入失败');
    }
    return false;
  };
  const honours = data?.honours ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {error && <Alert type="warning" showIcon message={error} />}
      {data && !data.locked && (
        <Alert type="info" showIcon message="综合评价结果锁定后，才显示党建排名、折算得分和评优候选。" />
      )}
      {data && !honours.length && (
        <Alert type="info" showIcon message="本方案未设置差额否决事项，仅显示党建与绩效的平行排位和折算得分。" />
      )}
      {rowErrors.length > 0 && (
        <Alert
          type="error"
          showIcon
          message="导入失败，未导入任何数据"
          description={rowErrors.map((r) => `第${r.row}行：${r.message}`).join('；')}
        />
      )}
      <Space wrap>
        {canManage && (
          <Button icon={<DownloadOutlined />} onClick={() => resultsApi.performanceTemplate()}>
            下载绩效导入模板
          </Button>
        )}
        {canManage && (
          <Upload accept=".xlsx" showUploadList={false} beforeUpload={(f) => upload(f)}>
            <Button icon={<UploadOutlined />}>导入绩效考核结果</Button>
          </Upload>
        )}
        <Button
          icon={<DownloadOutlined />}
          disabled={!data?.locked}
          onClick={() => resultsApi.exportParallel(campaignId)}
        >
          导出（考核办用）
        </Button>
        {data && (
          <Typography.Text type="secondary">
            党建得分按{data.ratio}%折算计入年度绩效；已导入绩效结果{data.imported}个单位。
          </Typography.Text>
        )}
      </Space>
      {honours.length > 0 && (
        <Space wrap data-testid="honour-places">
          {honours.map((h) => (
            <Space key={h.key}>
              <span>{h.label}名额</span>
              <InputNumber
                min={0}
                max={100000}
                value={places[h.key] ?? 0}
                disabled={!canManage}
                onChange={(v) => setPlaces({ ...places, [h.key]: v ?? 0 })}
              />
              <Typography.Text type="secondary">
                （1:{h.margin}，候选{h.candidates}个）
              </Typography.Text>
            </Space>
          ))}
          {canManage && (
            <Button
              type="primary"
              onClick={async () => {
                await resultsApi.setHonourPlaces(campaignId, places);
                notify.success('名额已保存');
                load();
              }}
            >
              保存名额
            </Button>
          )}
        </Space>
      )}
      <Table<ParallelRow>
        size="small"
        rowKey="orgId"
        dataSource={data?.rows ?? []}
        loading={!data && !error}
        pagination={{ pageSize: 30 }}
        data-testid="parallel-table"
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '党组织', dataIndex: 'name', fixed: 'left' },
          {
            title: '党建排名',
            dataIndex: 'partyRank',
            width: 90,
            sorter: (a, b) => (a.partyRank ?? 1e9) - (b.partyRank ?? 1e9),
          },
          { title: '党建等次', dataIndex: 'gradeLabel', width: 90 },
          { title: '绩效得分', dataIndex: 'performanceScore', width: 90 },
          {
            title: '绩效排名',
            dataIndex: 'performanceRank',
            width: 90,
            sorter: (a, b) => (a.performanceRank ?? 1e9) - (b.performanceRank ?? 1e9),
          },
          { title: '折算得分', dataIndex: 'converted', width: 90 },
          ...honours.map((h) => ({
            title: h.label,
            key: h.key,
            width: 160,
            render: (_: unknown, r: ParallelRow) => {
              const x = r.honours[h.key];
              if (!x) return null;
              const tag = x.honour ? <Tag color="green">可评</Tag> : x.candidate ? <Tag>候选</Tag> : null;
              return x.note ? (
                <Tooltip title={x.note}>
                  <span>{tag ?? <Typography.Text type="secondary">—</Typography.Text>}</span>
                </Tooltip>
              ) : (
                tag
              );
            },
          })),
        ]}
      />
    </Space>
  );
}
