import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, Modal, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { oversightApi, type Visit } from '../../api/oversight';
import { OrgSelect } from '../../components/org-select';
import { showFormError } from '../../lib/form-errors';
import { todayInShanghai } from '../../lib/time';

interface Values {
  orgId: number;
  visitedOn: Dayjs;
  visitors: string;
  seen: string;
  problems: { id?: number; text: string }[];
}

/** New visit, or the author's correction of one (problems keep their ids so references survive). */
export function VisitFormModal({
  campaignId,
  visit,
  open,
  onClose,
  onDone,
}: {
  campaignId: number;
  visit: Visit | null;
  open: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const today = todayInShanghai();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (visit) {
      form.setFieldsValue({
        orgId: visit.orgId,
        visitedOn: dayjs(visit.visitedOn),
        visitors: visit.visitors,
        seen: visit.seen,
        problems: visit.problems.map((p) => ({ id: p.id, text: p.text })),
      });
    } else {
      form.setFieldsValue({ visitedOn: dayjs(today), problems: [{ text: '' }] });
    }
  }, [open, visit, form, today]);

  const submit = async () => {
    const v = await form.validateFields();
    const problems = (v.problems ?? []).map((p) => ({ ...p, text: p.text.trim() })).filter((p) => p.text);
    const body = {
      orgId: v.orgId,
      visitedOn: v.visitedOn.format('YYYY-MM-DD'),
      visitors: v.visitors.trim(),
      seen: v.seen.trim(),
    };
    setSaving(true);
    try {
      if (visit) await oversightApi.updateVisit(campaignId, visit.id, { ...body, problems });
      else await oversightApi.createVisit(campaignId, { ...body, problems: problems.map((p) => p.text) });
      onDone();
    } catch (e) {
      showFormError(form, e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={visit ? '更正调研走访记录' : '记录调研走访'}
      open={open}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={saving}
      okText="保存"
      width={680}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="orgId" label="走访单位" rules={[{ required: true, message: '请选择走访单位' }]}>
          <OrgSelect
            initial={visit ? { id: visit.orgId, name: visit.orgName } : null}
            placeholder="搜索本次述职评议考核范围内的党组织"
          />
        </Form.Item>
        <Form.Item name="visitedOn" label="走访日期" rules={[{ required: true, message: '请选择走访日期' }]}>
          <DatePicker disabledDate={(d) => d.format('YYYY-MM-DD') > today} />
        </Form.Item>
        <Form.Item
          name="visitors"
          label="走访人员"
          rules={[{ required: true, whitespace: true, message: '请填写走访人员' }]}
        >
          <Input maxLength={200} placeholder="如：县委组织部 王某、李某" />
        </Form.Item>
        <Form.Item
          name="seen"
          label="看到的情况"
          rules={[{ required: true, whitespace: true, message: '请填写走访看到的情况' }]}
        >
          <Input.TextArea
            rows={4}
            maxLength={5000}
            showCount
            placeholder="多看工作成效、多听群众意见：现场看到、听到的具体情况"
          />
        </Form.Item>
        <Form.List name="problems">
          {(fields, { add, remove }) => (
            <Form.Item
              label="发现的问题"
              extra="每条问题单独记录，后续可转入整改清单；更正时删去的问题会标记为撤回并保留记录。"
            >
              {fields.map((f, i) => (
                <Space key={f.key} align="baseline" style={{ display: 'flex', marginBottom: 8 }}>
                  <span style={{ width: 20 }}>{i + 1}.</span>
                  <Form.Item name={[f.name, 'id']} hidden>
                    <Input />
                  </Form.Item>
                  <Form.Item name={[f.name, 'text']} style={{ marginBottom: 0, width: 520 }}>
                    <Input maxLength={1000} placeholder="问题描述" />
                  </Form.Item>
                  <MinusCircleOutlined aria-label="删去此条" onClick={() => remove(f.name)} />
                </Space>
              ))}
              {fields.length < 50 && (
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ text: '' })}>
                  添加问题
                </Button>
              )}
            </Form.Item>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
