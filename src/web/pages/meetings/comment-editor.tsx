import { Button, Form, Input, Radio, Select, Space } from 'antd';
import { useEffect } from 'react';
import { meetingsApi, type AgendaItem, type CommentForm } from '../../api/meetings';

const KINDS = [
  { value: 'comment', label: '点评' },
  { value: 'question', label: '提问' },
  { value: 'answer', label: '回答' },
];

/** Entry of a 点评 / 提问 / 回答 (R-MEET-3); the author and role stay filled for the next entry. */
export function CommentEditor({
  meetingId,
  agenda,
  defaultItemId,
  onSaved,
  large,
}: {
  meetingId: number;
  agenda: AgendaItem[];
  defaultItemId: number | null;
  onSaved(): Promise<void> | void;
  large?: boolean;
}) {
  const [form] = Form.useForm<CommentForm>();
  useEffect(() => {
    form.setFieldValue('agendaItemId', defaultItemId);
  }, [defaultItemId, form]);
  const size = large ? 'large' : 'middle';
  return (
    <Form
      form={form}
      layout="vertical"
      size={size}
      initialValues={{ kind: 'comment', agendaItemId: defaultItemId }}
      data-testid="comment-form"
      onFinish={async (v) => {
        await meetingsApi.addComment(meetingId, { ...v, agendaItemId: v.agendaItemId ?? null });
        form.setFieldValue('body', '');
        await onSaved();
      }}
    >
      <Space wrap align="start">
        <Form.Item name="agendaItemId" label="述职对象">
          <Select
            style={{ width: 260 }}
            options={[
              { value: null, label: '集中点评及讲话' },
              ...agenda.map((a) => ({ value: a.id, label: a.orgName })),
            ]}
          />
        </Form.Item>
        <Form.Item name="kind" label="类型">
          <Radio.Group options={KINDS} optionType="button" />
        </Form.Item>
        <Form.Item
          name="authorName"
          label="发言人"
          rules={[{ required: true, whitespace: true, message: '请填写发言人' }]}
        >
          <Input style={{ width: 140 }} maxLength={50} data-testid="comment-author" />
        </Form.Item>
        <Form.Item name="authorRole" label="职务" rules={[{ required: true, whitespace: true, message: '请填写职务' }]}>
          <Input style={{ width: 180 }} maxLength={50} placeholder="如：镇党委书记" data-testid="comment-role" />
        </Form.Item>
      </Space>
      <Form.Item name="body" label="内容" rules={[{ required: true, whitespace: true, message: '请填写内容' }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5000} data-testid="comment-body" />
      </Form.Item>
      <Button type="primary" htmlType="submit" data-testid="comment-submit">
        记录
      </Button>
    </Form>
  );
}
