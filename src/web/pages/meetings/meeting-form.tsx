import { DatePicker, Form, Input, Modal, Radio } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { isApiError } from '../../api/client';
import type { MeetingForm } from '../../api/meetings';

interface Props {
  open: boolean;
  title: string;
  initial?: Partial<MeetingForm>;
  onCancel(): void;
  onSubmit(values: MeetingForm): Promise<unknown>;
}

/** Title, date, place, chair and recorder of a 述职评议会; server errors land on their field. */
export function MeetingFormModal({ open, title, initial, onCancel, onSubmit }: Props) {
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (open)
      form.setFieldsValue({ ...initial, meetingDate: initial?.meetingDate ? dayjs(initial.meetingDate) : undefined });
  }, [open, initial, form]);

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await onSubmit({
        title: v.title,
        place: v.place,
        meetingDate: v.meetingDate.format('YYYY-MM-DD'),
        chair: v.chair?.trim() || null,
        recorder: v.recorder?.trim() || null,
        ...(v.commentMode ? { commentMode: v.commentMode } : {}),
      });
      form.resetFields();
    } catch (e) {
      if (isApiError(e)) {
        const field = (e.details as { field?: string } | undefined)?.field;
        form.setFields([
          {
            name: field && ['title', 'place', 'meetingDate', 'chair', 'recorder'].includes(field) ? field : 'title',
            errors: [e.message],
          },
        ]);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      onOk={submit}
      confirmLoading={saving}
      okText="保存"
      destroyOnHidden
    >
      <Form form={form} layout="vertical" data-testid="meeting-form">
        <Form.Item
          name="title"
          label="会议名称"
          rules={[{ required: true, whitespace: true, message: '请填写会议名称' }, { max: 100 }]}
        >
          <Input placeholder="如：2025年度党组织书记抓基层党建工作述职评议会" data-testid="meeting-title" />
        </Form.Item>
        <Form.Item name="meetingDate" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker style={{ width: '100%' }} data-testid="meeting-date" />
        </Form.Item>
        <Form.Item
          name="place"
          label="地点"
          rules={[{ required: true, whitespace: true, message: '请填写地点' }, { max: 100 }]}
        >
          <Input data-testid="meeting-place" />
        </Form.Item>
        <Form.Item name="chair" label="主持人" rules={[{ max: 50 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="recorder" label="记录人" rules={[{ max: 50 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="commentMode" label="点评方式" extra="不选则按方案设置。会场控制台的“下一项”按此顺序进行。">
          <Radio.Group
            data-testid="meeting-comment-mode"
            options={[
              { value: 'one_by_one', label: '一述一评（每位书记述职后当场点评）' },
              { value: 'collective', label: '集中点评（全部述职、提问后逐一点评）' },
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
