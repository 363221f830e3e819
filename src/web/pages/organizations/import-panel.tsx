import { CloseOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Progress, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { IMPORT_TEMPLATE_URL, orgsApi } from '../../api/orgs';
import type { ImportResult, ImportRowError } from '../../api/types';
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

/** R-ORG-4: bulk import of organizations and secretaries from the .xlsx template, row errors listed. */
export function ImportPanel({ onImported }: Props) {
  const [percent, setPercent] = useState<number | null>(null);
  const [processing, setProcessing] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const busy = percent !== null;

  const upload = async (file: File) => {
    setResult(null);
    setFailure(null);
    setPercent(0);
    setProcessing(false);
    try {
      const res = await orgsApi.importFile(file, {
        silent: true,
        onProgress: (p) => {
          setPercent(p);
          // Once the bytes are sent the server still checks every row before writing.
          if (p >= 100) setProcessing(true);
        },
      });
      setResult(res);
      notify.success(`导入成功：组织 ${res.orgs} 个，书记 ${res.secretaries} 名`);
      onImported(res);
    } catch (e) {
      if (isApiError(e) && e.code === 'IMPORT_INVALID') {
        const details = (e.details ?? {}) as { errors?: ImportRowError[]; total?: number };
        const errors = details.errors ?? [];
        setFailure({ message: e.message, errors, total: details.total ?? errors.length });
      } else if (isApiError(e) && e.status !== 401 && e.code !== 'ABORTED') {
        notify.error(e.message);
      }
    } finally {
      setPercent(null);
      setProcessing(false);
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
            {processing ? '文件已上传，正在逐行校验并导入，请稍候…' : '正在上传文件…'}
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
