import { Form, Input, Modal, Select, Spin } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { type Candidate, oversightApi, type ProgressRow } from '../../api/oversight';
import { showFormError } from '../../lib/form-errors';
import { paged, useLastData } from '../../lib/query';
import { useDebounced } from '../../lib/use-debounced';
import { ROLE_LABELS } from './shared';
import { formatDateProse } from '../../lib/time';

interface Values {
  userIds: number[];
  subCampaignIds: number[];
  groupName?: string;
  leaderUserId?: number;
  note?: string;
}

/** One line of the 分组名单: people, the sub-campaigns they cover, optionally a group and its leader. */
export function AssignObserversModal({
  campaignId,
  open,
  onClose,
  onDone,
}: {
  campaignId: number;
  open: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 300);
  // Asked each time the modal opens; a failed load offers no targets.
  const everyTarget = { offset: 0, limit: 1000 };
  const targetList = useQuery({
    queryKey: ['observer-targets', campaignId],
    queryFn: ({ signal }) => oversightApi.progress(campaignId, everyTarget, { signal }),
    enabled: open,
  });
  const targets: ProgressRow[] = useMemo(
    () => (targetList.isError ? [] : (targetList.data?.items ?? []).filter((r) => r.depth > 0)),
    [targetList.isError, targetList.data],
  );
  const search = useQuery({
    queryKey: ['observer-candidates', campaignId, q],
    queryFn: ({ signal }) => oversightApi.candidates(campaignId, q || undefined, signal),
    enabled: open,
    ...paged,
  });
  // A failed search keeps the previous hits.
  const candidates: Candidate[] = useLastData(search.data)?.items ?? [];
  const searching = search.isFetching;
  // Everyone any search showed, so a chosen person keeps their name after the next search.
  const [known, setKnown] = useState<Map<number, Candidate>>(new Map());
  const [seen, setSeen] = useState<unknown>(null);
  if (search.data && search.data !== seen) {
    const items = search.data.items;
    setSeen(search.data);
    setKnown((m) => new Map([...m, ...items.map((c) => [c.id, c] as const)]));
  }
  const [saving, setSaving] = useState(false);
  const userIds = Form.useWatch('userIds', form) ?? [];
  const groupName = Form.useWatch('groupName', form);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const leaderOptions = useMemo(
    () => userIds.map((id) => ({ value: id, label: known.get(id)?.displayName ?? String(id) })),
    [userIds, known],
  );

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await oversightApi.assign(campaignId, {
        userIds: v.userIds,
        subCampaignIds: v.subCampaignIds,
        groupName: v.groupName?.trim() || null,
        leaderUserId: v.leaderUserId ?? null,
        note: v.note?.trim() || null,
      });
      onDone();
    } catch (e) {
      showFormError(form, e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title="选派观察员"
      open={open}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={saving}
      okText="选派"
      width={640}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="userIds" label="观察员" rules={[{ required: true, message: '请选择至少一名人员' }]}>
          <Select
            mode="multiple"
            showSearch={{ filterOption: false, onSearch: setTerm }}
            placeholder="输入姓名或用户名搜索"
            notFoundContent={searching ? <Spin size="small" /> : '无匹配人员'}
            options={candidates.map((c) => ({
              value: c.id,
              label: `${c.displayName}（${ROLE_LABELS[c.role] ?? c.role}${c.scopeOrgName ? ` · ${c.scopeOrgName}` : ''}）`,
            }))}
            data-testid="assign-users"
          />
        </Form.Item>
        <Form.Item
          name="subCampaignIds"
          label="指导的下级方案"
          rules={[{ required: true, message: '请选择至少一个下级方案' }]}
        >
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="选择下级方案"
            options={targets.map((t) => ({
              value: t.id,
              label: t.completeBy ? `${t.organizerName}（${formatDateProse(t.completeBy)}前完成）` : t.organizerName,
            }))}
            data-testid="assign-targets"
          />
        </Form.Item>
        <Form.Item name="groupName" label="组别" extra="如“第一组”；同组人员在分组名单中列在一起">
          <Input maxLength={50} allowClear />
        </Form.Item>
        <Form.Item name="leaderUserId" label="组长" dependencies={['groupName']}>
          <Select
            allowClear
            disabled={!groupName?.trim()}
            options={leaderOptions}
            placeholder={groupName?.trim() ? '从所选人员中指定' : '填写组别后可指定组长'}
          />
        </Form.Item>
        <Form.Item name="note" label="任务说明">
          <Input.TextArea maxLength={500} rows={2} placeholder="如：参加述职评议会并作点评" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
