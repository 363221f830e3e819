import { DownloadOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Form, Input, Popconfirm, Space, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import { resultsApi, type Summary, type SummarySectionKey } from '../../api/results';
import { notify } from '../../lib/notify';
import { formatDateProse } from '../../lib/time';
import { useLastData } from '../../lib/query';

const SECTIONS: { key: SummarySectionKey; title: string }[] = [
  { key: 'overview', title: '基本情况' },
  { key: 'achievements', title: '主要成效和经验做法' },
  { key: 'problems', title: '存在的问题' },
  { key: 'nextSteps', title: '下一步工作打算和建议' },
];
const STATE: Record<string, { label: string; color: string }> = {
  draft: { label: '草稿', color: 'default' },
  submitted: { label: '已上报', color: 'blue' },
  received: { label: '上级已接收', color: 'green' },
  sent: { label: '已报送（系统外）', color: 'green' },
};

/** 总结报告 (R-SUM-1, R-SUM-2): figures from the records, sections written by the organizer, submitted upward. */
export function SummaryTab({ campaignId, canManage }: { campaignId: number; canManage: boolean }) {
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  // A top organizer's upper body is outside this system (000 §8): named here, sent as .docx + .xlsx.
  const [recipient, setRecipient] = useState('');
  const summary = useQuery({
    queryKey: ['summary', campaignId],
    queryFn: ({ signal }) => resultsApi.summary(campaignId, signal),
  });
  const data: Summary | null = useLastData(summary.data) ?? null;
  const error = summary.error ? (isApiError(summary.error) ? summary.error.message : '加载失败') : null;
  // Each answer refills the form and the recipient (after a save or a submission, what the server now holds).
  useEffect(() => {
    if (!summary.data) return;
    form.setFieldsValue(summary.data.sections);
    setRecipient(summary.data.upperLevel.name ?? '');
  }, [summary.data, form]);
  const load = () => void summary.refetch();
  if (error) return <Alert type="warning" showIcon message={error} />;
  if (!data) return null;
  const editable = canManage && data.state === 'draft';
  const save = async () => {
    setSaving(true);
    try {
      await resultsApi.saveSummary(campaignId, form.getFieldsValue());
      notify.success('已保存');
      load();
    } catch {
      /* shown by the client */
    } finally {
      setSaving(false);
    }
  };
  const submit = async () => {
    try {
      await resultsApi.saveSummary(campaignId, form.getFieldsValue());
      const r = await resultsApi.submitSummary(
        campaignId,
        data?.upperLevel.inDeployment ? undefined : recipient.trim(),
      );
      notify.success(
        r.state === 'sent' ? `已标记为报送${r.recipient ?? ''}，请下载总结报告和结果表报送` : '已上报上级组织部门',
      );
      load();
    } catch {
      /* shown by the client */
    }
  };
  const f = data.figures;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="summary-tab">
      {data.overdue && (
        <Alert type="error" showIcon message={`总结报告应于${formatDateProse(data.dueDate)}前上报，已逾期`} />
      )}
      {data.dueSoon && <Alert type="warning" showIcon message={`总结报告应于${formatDateProse(data.dueDate)}前上报`} />}
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2, md: 4 }}>
        <Descriptions.Item label="状态">
          <Tag color={STATE[data.state]?.color}>{STATE[data.state]?.label ?? data.state}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label="上报期限">{data.dueDate ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="述职对象">{f.reporters}</Descriptions.Item>
        <Descriptions.Item label="述职评议会">{f.meetings}场</Descriptions.Item>
        <Descriptions.Item label="报送单位">
          {data.upperLevel.name ?? '—'}
          {data.upperLevel.inDeployment ? '' : '（系统外）'}
        </Descriptions.Item>
        <Descriptions.Item label="署名">{data.signature}</Descriptions.Item>
        <Descriptions.Item label="测评表（份）">
          手机{f.ballotForms.phone}，纸质{f.ballotForms.paper}
        </Descriptions.Item>
        <Descriptions.Item label="评价（人次）">
          手机{f.ballotRatings.phone}，纸质{f.ballotRatings.paper}，有效{f.ballotRatings.valid}
        </Descriptions.Item>
        <Descriptions.Item label="实地考核">{f.fieldDone}个单位</Descriptions.Item>
        <Descriptions.Item label="问题/已销号">
          {f.items}/{f.closed}
        </Descriptions.Item>
        <Descriptions.Item label="等次">
          好{f.grades.good ?? 0} 较好{f.grades.fair ?? 0} 一般{f.grades.average ?? 0} 差{f.grades.poor ?? 0}
        </Descriptions.Item>
      </Descriptions>
      <Form form={form} layout="vertical" disabled={!editable}>
        {SECTIONS.map((s) => (
          <Form.Item key={s.key} name={s.key} label={s.title}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 12 }} maxLength={20000} showCount />
          </Form.Item>
        ))}
      </Form>
      <Space wrap>
        {editable && (
          <Button icon={<SaveOutlined />} loading={saving} onClick={save}>
            保存
          </Button>
        )}
        <Button
          icon={<DownloadOutlined />}
          onClick={() => resultsApi.summaryDocx(campaignId)}
          data-testid="summary-docx"
        >
          下载总结报告（.docx）
        </Button>
        <Button icon={<DownloadOutlined />} onClick={() => resultsApi.resultsTable(campaignId)}>
          下载结果表（.xlsx）
        </Button>
        {editable && !data.upperLevel.inDeployment && (
          <Input
            style={{ width: 260 }}
            placeholder="接收总结报告的上级党组织，如“某某市委组织部”"
            value={recipient}
            onChange={(e) => setRecipient(e.target.value)}
            maxLength={100}
            data-testid="summary-recipient"
          />
        )}
        {editable && (
          <Popconfirm
            title={
              data.upperLevel.inDeployment
                ? '上报后不能再修改，确定上报？'
                : '标记为已报送后不能再修改，报送的文件即为此时生成的文件。确定？'
            }
            onConfirm={submit}
            okText="确定"
            cancelText="取消"
          >
            <Button
              type="primary"
              icon={<SendOutlined />}
              disabled={!data.upperLevel.inDeployment && !recipient.trim()}
            >
              {data.upperLevel.inDeployment ? '上报上级' : '标记为已报送'}
            </Button>
          </Popconfirm>
        )}
      </Space>
    </Space>
  );
}
