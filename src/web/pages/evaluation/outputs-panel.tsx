import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Form, Input, Modal, Space, Typography } from 'antd';
import { FileExcelOutlined, FileWordOutlined, FileZipOutlined } from '@ant-design/icons';
import { evaluationOutputsApi, type NoticeOptions, type OutputsStatus } from '../../api/evaluation-outputs';
import { paged } from '../../lib/query';

/**
 * 结果文书 (R-GRADE-6): downloads of the documents generated from the locked evaluation. Admins of the organizer
 * get every document; a reporter's secretary gets their own 反馈意见 only. Before the lock the buttons stay
 * disabled and say why (the server refuses with 409 as well).
 */
export function OutputsPanel({ campaignId, locked }: { campaignId: number; locked?: boolean }) {
  // Asked again when the evaluation is locked or unlocked; a failed answer hides the panel.
  const query = useQuery({
    queryKey: ['evaluation-outputs', campaignId, locked],
    queryFn: ({ signal }) => evaluationOutputsApi.status(campaignId, signal),
    ...paged,
  });
  const status: OutputsStatus | null = query.isError ? null : (query.data ?? null);
  const [showScores, setShowScores] = useState(false);
  const [noticeOpen, setNoticeOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [form] = Form.useForm<NoticeOptions>();

  if (!status) return null;
  const run = (key: string, fn: () => Promise<void>) => {
    setBusy(key);
    fn()
      .catch(() => {})
      .finally(() => setBusy(null));
  };
  const disabled = !status.locked;

  return (
    <Card title="结果文书" size="small">
      {disabled && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message="综合评价经党委研究确定并锁定后，方可生成反馈意见、结果通报、干部档案材料和排名表。"
        />
      )}
      {status.canManage ? (
        <Space wrap>
          <Space>
            <Button
              icon={<FileZipOutlined />}
              disabled={disabled}
              loading={busy === 'letters'}
              onClick={() => run('letters', () => evaluationOutputsApi.letters(campaignId, showScores))}
            >
              下载全部反馈意见
            </Button>
            <Checkbox checked={showScores} onChange={(e) => setShowScores(e.target.checked)}>
              反馈意见中列出综合得分和排名
            </Checkbox>
          </Space>
          <Button icon={<FileWordOutlined />} disabled={disabled} onClick={() => setNoticeOpen(true)}>
            下载结果通报
          </Button>
          <Button
            icon={<FileExcelOutlined />}
            disabled={disabled}
            loading={busy === 'cadre'}
            onClick={() => run('cadre', () => evaluationOutputsApi.cadreSheets(campaignId))}
          >
            下载干部档案材料
          </Button>
          <Button
            icon={<FileExcelOutlined />}
            disabled={disabled}
            loading={busy === 'ranking'}
            onClick={() => run('ranking', () => evaluationOutputsApi.ranking(campaignId))}
          >
            下载综合评价排名表
          </Button>
        </Space>
      ) : status.ownReporterId !== null ? (
        <Button
          icon={<FileWordOutlined />}
          disabled={disabled}
          loading={busy === 'own'}
          onClick={() => run('own', () => evaluationOutputsApi.letter(campaignId, status.ownReporterId!))}
        >
          下载本人反馈意见
        </Button>
      ) : null}
      <Modal
        title="结果通报"
        open={noticeOpen}
        okText="生成并下载"
        cancelText="取消"
        confirmLoading={busy === 'notice'}
        onCancel={() => setNoticeOpen(false)}
        onOk={() =>
          form.validateFields().then((values) =>
            run('notice', async () => {
              await evaluationOutputsApi.notice(campaignId, values);
              setNoticeOpen(false);
            }),
          )
        }
      >
        <Typography.Paragraph type="secondary">
          通报按党政机关公文格式生成；未填写的项目使用默认值，文号可留空后手工填写。
        </Typography.Paragraph>
        <Form form={form} layout="vertical">
          <Form.Item name="issuer" label="发文机关标志" rules={[{ max: 60 }]}>
            <Input placeholder="默认为组织单位名称，如：中共某某县委组织部" />
          </Form.Item>
          <Form.Item name="docNumber" label="发文字号" rules={[{ max: 40 }]}>
            <Input placeholder="如：某组通〔2026〕3号" />
          </Form.Item>
          <Form.Item name="addressee" label="主送机关" rules={[{ max: 200 }]}>
            <Input placeholder="默认为：各基层党组织" />
          </Form.Item>
          <Form.Item
            name="date"
            label="成文日期"
            rules={[{ pattern: /^\d{4}-\d{2}-\d{2}$/, message: '请按 2026-01-20 的格式填写' }]}
          >
            <Input placeholder="默认为党委研究锁定之日，格式 2026-01-20" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
