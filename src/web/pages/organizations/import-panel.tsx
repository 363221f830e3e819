import { CloseOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Progress, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { IMPORT_TEMPLATE_URL, orgsApi } from '../../api/orgs';
import type { ImportJob, ImportResult, ImportRowError } from '../../api/types';
import { notify } from '../../lib/notify';

const MAX_BYTES = 20 * 1024 * 1024;

interface Props {
  onImported: (result: ImportResult) => void;
}

interface Failure {
  message: string;
  errors: ImportRowError[];
  total: number;
}

// The upload takes the first fifth of the bar, reading the sheet most of the rest.
const UPLOAD_SHARE = 20;
const STAGES: Record<ImportJob['status'], { from: number; to: number; text: string }> = {
  reading: { from: 20, to: 80, text: '正在读取表格…' },
  checking: { from: 80, to: 85, text: '正在逐行校验…' },
  writing: { from: 85, to: 99, text: '校验通过，正在写入（全部成功或全部不写入）…' },
  done: { from: 100, to: 100, text: '导入完成' },
  failed: { from: 100, to: 100, text: '导入失败' },
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** R-ORG-4: bulk import of organizations and secretaries from the .xlsx template, row errors listed. */
export function ImportPanel({ onImported }: Props) {
  const [percent, setPercent] = useState<number | null>(null);
  const [stage, setStage] = useState('正在上传文件…');
  const [result, setResult] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const busy = percent !== null;

  const showFailure = (code: string, message: string, details: unknown) => {
    if (code === 'IMPORT_INVALID') {
      const d = (details ?? {}) as { errors?: ImportRowError[]; total?: number };
      const errors = d.errors ?? [];
      setFailure({ message, errors, total: d.total ?? errors.length });
    } else {
      notify.error(message);
    }
  };

  /** The server imports in the background (100,000 rows take a while); the bar follows its phases. */
  const upload = async (file: File) => {
    setResult(null);
    setFailure(null);
    setPercent(0);
    setStage('正在上传文件…');
    try {
      let { job } = await orgsApi.startImport(file, {
        silent: true,
        onProgress: (p) => setPercent(Math.round((p * UPLOAD_SHARE) / 100)),
      });
      while (job.status !== 'done' && job.status !== 'failed') {
        const st = STAGES[job.status];
        const within = job.status === 'reading' && job.total ? job.processed / job.total : 0;
        setPercent(Math.round(st.from + (st.to - st.from) * within));
        setStage(st.text);
        await sleep(700);
        ({ job } = await orgsApi.importJob(job.id));
      }
      if (job.status === 'done' && job.result) {
        setResult(job.result);
        notify.success(`导入成功：组织 ${job.result.orgs} 个，书记 ${job.result.secretaries} 名`);
        onImported(job.result);
      } else if (job.error) {
        showFailure(job.error.code, job.error.message, job.error.details);
      }
    } catch (e) {
      if (isApiError(e) && e.status !== 401 && e.code !== 'ABORTED') showFailure(e.code, e.message, e.details);
    } finally {
      setPercent(null);
    }
  };

  return (
    <div>
      <Space wrap>
        <Button icon={<DownloadOutlined />} href={IMPORT_TEMPLATE_URL} download data-testid="import-template">
          下载导入模板
        </Button>
        <Upload
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          showUploadList={false}
          maxCount={1}
          disabled={busy}
          beforeUpload={(file) => {
            if (!/\.xlsx$/i.test(file.name)) {
              notify.error('请上传 .xlsx 格式的 Excel 文件（可先下载导入模板）');
              return Upload.LIST_IGNORE;
            }
            if (file.size > MAX_BYTES) {
              notify.error('文件不能超过 20MB');
              return Upload.LIST_IGNORE;
            }
            void upload(file);
            // We send the file ourselves, with progress and the CSRF header.
            return false;
          }}
          data-testid="import-button"
        >
          <Button icon={<UploadOutlined />} type="primary" loading={busy}>
            {busy ? '正在导入…' : '批量导入'}
          </Button>
        </Upload>
      </Space>

      {busy && (
        <div style={{ marginTop: 8, maxWidth: 420 }} data-testid="import-progress">
          <Progress percent={percent ?? 0} size="small" status="active" />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {stage}
          </Typography.Text>
        </div>
      )}

      {result && (
        <Alert
          style={{ marginTop: 8 }}
          type="success"
          showIcon
          title={`导入成功：新增组织 ${result.orgs} 个，书记 ${result.secretaries} 名`}
          closable={{ closeIcon: <CloseOutlined />, onClose: () => setResult(null) }}
          data-testid="import-result"
        />
      )}

      <Modal
        open={!!failure}
        title="导入失败"
        width={720}
        onCancel={() => setFailure(null)}
        footer={
          <Button type="primary" onClick={() => setFailure(null)}>
            我知道了
          </Button>
        }
      >
        {failure && (
          <>
            <Alert type="error" showIcon title={failure.message} style={{ marginBottom: 12 }} />
            {failure.total > failure.errors.length && (
              <Typography.Paragraph type="secondary">
                共 {failure.total} 处错误，以下列出前 {failure.errors.length} 处。
              </Typography.Paragraph>
            )}
            <Table<ImportRowError & { i: number }>
              size="small"
              rowKey="i"
              dataSource={failure.errors.map((e, i) => ({ ...e, i }))}
              columns={[
                { title: '行号', dataIndex: 'row', key: 'row', width: 80 },
                { title: '列', dataIndex: 'column', key: 'column', width: 140 },
                { title: '原因', dataIndex: 'message', key: 'message' },
              ]}
              pagination={{ pageSize: 10, size: 'small', showSizeChanger: false, showTotal: (t) => `共 ${t} 条` }}
              scroll={{ x: 480 }}
              data-testid="import-errors"
            />
          </>
        )}
      </Modal>
    </div>
  );
}
