import { DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useEffectEvent, useState } from 'react';
import { orgsApi } from '../../api/orgs';
import type { Member, MemberInput, OrgDetail, OrgInput, OrgNode, Secretary } from '../../api/types';
import { OrgSelect } from '../../components/org-select';
import { showFormError } from '../../lib/form-errors';
import { toOptions, useMeta } from '../../lib/meta';
import { todayInShanghai } from '../../lib/time';

/** The usual level of a new child: one tier down; grassroots units nest within grassroots. */
const LEVEL_BELOW: Record<string, string> = {
  province: 'city',
  city: 'county',
  county: 'township',
  township: 'grassroots',
  grassroots: 'grassroots',
};
const CODE_RULE = /^[A-Za-z0-9_-]{1,64}$/;
const PHONE_RULE = /^[0-9+\-\s()（）转]{5,30}$/;

/** Modal bodies submit with their own loading state and keep the modal open on a server error. */
function useSubmit() {
  const [submitting, setSubmitting] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    setSubmitting(true);
    try {
      await fn();
    } finally {
      setSubmitting(false);
    }
  };
  return { submitting, run };
}

// ---------------------------------------------------------------- organization

interface OrgFormModalProps {
  open: boolean;
  /** Editing this organization; absent when creating a child of `parent`. */
  org?: OrgNode;
  parent?: { id: number; name: string; level?: string; sector?: string };
  onClose: () => void;
  onSaved: (org: OrgNode) => void;
}

export function OrgFormModal({ open, org, parent, onClose, onSaved }: OrgFormModalProps) {
  const [form] = Form.useForm<OrgInput>();
  const { kinds, sectors, levels } = useMeta();
  const { submitting, run } = useSubmit();
  const editing = !!org;

  // Fill the form once per opening; `org`/`parent` are rebuilt on every render of the caller.
  const opening = open ? (org ? `edit:${org.id}` : `create:${parent?.id}`) : '';
  const fill = useEffectEvent(() => {
    form.resetFields();
    if (org)
      form.setFieldsValue({ name: org.name, code: org.code, kind: org.kind, sector: org.sector, level: org.level });
    else form.setFieldsValue({ sector: parent?.sector, level: parent?.level ? LEVEL_BELOW[parent.level] : undefined });
  });
  useEffect(() => {
    if (opening) fill();
  }, [opening]);

  const submit = () =>
    form
      .validateFields()
      .then((values) =>
        run(async () => {
          try {
            const input = { ...values, name: values.name.trim(), code: values.code.trim() };
            const res = editing ? await orgsApi.update(org.id, input) : await orgsApi.create(parent!.id, input);
            onSaved({ ...(org ?? { childCount: 0 }), ...res.org });
          } catch (e) {
            showFormError(form, e);
          }
        }),
      )
      // A failed validation is already shown on the fields.
      .catch(() => undefined);

  return (
    <Modal
      open={open}
      title={editing ? `编辑组织：${org.name}` : `新建下级组织（上级：${parent?.name ?? ''}）`}
      okText="保存"
      onOk={submit}
      confirmLoading={submitting}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} layout="vertical" data-testid="org-form">
        <Form.Item
          name="name"
          label="组织名称"
          rules={[
            { required: true, whitespace: true, message: '请输入组织名称' },
            { max: 100, message: '最多100个字' },
          ]}
        >
          <Input placeholder="如：某某村党支部" maxLength={100} showCount data-testid="org-form-name" />
        </Form.Item>
        <Form.Item
          name="code"
          label="组织编码"
          tooltip="唯一编码，导入导出时用于识别组织"
          rules={[
            { required: true, whitespace: true, message: '请输入组织编码' },
            { pattern: CODE_RULE, message: '只能包含字母、数字、短横线或下划线，最长64位' },
          ]}
        >
          <Input placeholder="如：XC-001" maxLength={64} data-testid="org-form-code" />
        </Form.Item>
        <Form.Item name="kind" label="组织类别" rules={[{ required: true, message: '请选择组织类别' }]}>
          <Select options={toOptions(kinds)} placeholder="请选择" data-testid="org-form-kind" />
        </Form.Item>
        <Form.Item name="sector" label="领域" rules={[{ required: true, message: '请选择领域' }]}>
          <Select options={toOptions(sectors)} placeholder="请选择" data-testid="org-form-sector" />
        </Form.Item>
        <Form.Item name="level" label="层级" rules={[{ required: true, message: '请选择层级' }]}>
          <Select options={toOptions(levels)} placeholder="请选择" data-testid="org-form-level" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// ---------------------------------------------------------------- secretary

interface SecretaryFormValues {
  name: string;
  position: string;
  tenureStart: Dayjs;
  phone?: string;
}

interface SecretaryModalProps {
  open: boolean;
  orgId: number;
  current: Secretary | null;
  onClose: () => void;
  onSaved: (secretary: Secretary) => void;
}

export function SecretaryModal({ open, orgId, current, onClose, onSaved }: SecretaryModalProps) {
  const [form] = Form.useForm<SecretaryFormValues>();
  const { submitting, run } = useSubmit();
  const today = todayInShanghai();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ position: '书记', tenureStart: dayjs(today) });
  }, [open, form, today]);

  const submit = () =>
    form
      .validateFields()
      .then((values) =>
        run(async () => {
          try {
            const res = await orgsApi.appointSecretary(orgId, {
              name: values.name.trim(),
              position: values.position.trim(),
              tenureStart: values.tenureStart.format('YYYY-MM-DD'),
              phone: values.phone?.trim() || null,
            });
            onSaved(res.secretary);
          } catch (e) {
            showFormError(form, e);
          }
        }),
      )
      // A failed validation is already shown on the fields.
      .catch(() => undefined);

  return (
    <Modal
      open={open}
      title={current ? '更换书记' : '设置书记'}
      okText={current ? '确认更换' : '保存'}
      onOk={submit}
      confirmLoading={submitting}
      onCancel={onClose}
      forceRender
    >
      {current && (
        <p data-testid="secretary-form-note" style={{ color: 'rgba(0,0,0,0.65)' }}>
          现任书记<b>{current.name}</b>（{current.tenureStart} 起）的任职将于新书记任职之日结束，并保留在任职记录中。
        </p>
      )}
      <Form form={form} layout="vertical">
        <Form.Item
          name="name"
          label="姓名"
          rules={[
            { required: true, whitespace: true, message: '请输入姓名' },
            { max: 50, message: '最多50个字' },
          ]}
        >
          <Input maxLength={50} data-testid="secretary-form-name" />
        </Form.Item>
        <Form.Item
          name="position"
          label="职务"
          rules={[
            { required: true, whitespace: true, message: '请输入职务' },
            { max: 50, message: '最多50个字' },
          ]}
        >
          <Input maxLength={50} placeholder="如：党支部书记、党委书记" data-testid="secretary-form-position" />
        </Form.Item>
        <Form.Item
          name="tenureStart"
          label="任职时间"
          rules={[{ required: true, message: '请选择任职时间' }]}
          extra="任职不满3个月的书记，系统会给出提示（可由组织代为述职）"
        >
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(d) => d.format('YYYY-MM-DD') > today}
            data-testid="secretary-form-tenure"
          />
        </Form.Item>
        <Form.Item name="phone" label="联系电话" rules={[{ pattern: PHONE_RULE, message: '请输入有效的电话号码' }]}>
          <Input maxLength={30} inputMode="tel" data-testid="secretary-form-phone" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// ---------------------------------------------------------------- members

interface MemberModalProps {
  open: boolean;
  orgId: number;
  member?: Member;
  onClose: () => void;
  onSaved: (member: Member) => void;
}

export function MemberModal({ open, orgId, member, onClose, onSaved }: MemberModalProps) {
  const [form] = Form.useForm<MemberInput>();
  const { submitting, run } = useSubmit();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (member) form.setFieldsValue({ name: member.name, position: member.position, phone: member.phone ?? undefined });
  }, [open, member, form]);

  const submit = () =>
    form
      .validateFields()
      .then((values) =>
        run(async () => {
          try {
            const input = {
              name: values.name.trim(),
              position: values.position.trim(),
              phone: values.phone?.trim() || null,
            };
            const res = member ? await orgsApi.updateMember(member.id, input) : await orgsApi.addMember(orgId, input);
            onSaved(res.member);
          } catch (e) {
            showFormError(form, e);
          }
        }),
      )
      // A failed validation is already shown on the fields.
      .catch(() => undefined);

  return (
    <Modal
      open={open}
      title={member ? '编辑班子成员' : '添加班子成员'}
      okText="保存"
      onOk={submit}
      confirmLoading={submitting}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="name"
          label="姓名"
          rules={[
            { required: true, whitespace: true, message: '请输入姓名' },
            { max: 50, message: '最多50个字' },
          ]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="position"
          label="职务"
          rules={[
            { required: true, whitespace: true, message: '请输入职务' },
            { max: 50, message: '最多50个字' },
          ]}
        >
          <Input maxLength={50} placeholder="如：副书记、组织委员、宣传委员、纪检委员" />
        </Form.Item>
        <Form.Item name="phone" label="联系电话" rules={[{ pattern: PHONE_RULE, message: '请输入有效的电话号码' }]}>
          <Input maxLength={30} inputMode="tel" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// ---------------------------------------------------------------- move

interface MoveModalProps {
  open: boolean;
  detail: OrgDetail;
  onClose: () => void;
  /** Called with the chosen new parent; the caller confirms and performs the move. */
  onPick: (newParent: { id: number; name: string }) => void;
}

export function MoveModal({ open, detail, onClose, onPick }: MoveModalProps) {
  const [target, setTarget] = useState<{ id: number; name: string } | null>(null);
  useEffect(() => {
    if (open) setTarget(null);
  }, [open]);
  const currentParent = detail.ancestors.at(-1);
  return (
    <Modal
      open={open}
      title={`移动组织：${detail.org.name}`}
      okText="下一步"
      okButtonProps={{ disabled: !target || target.id === detail.org.parentId }}
      onOk={() => target && onPick(target)}
      onCancel={onClose}
      destroyOnHidden
    >
      <p>当前上级：{currentParent?.name ?? '（无）'}</p>
      <p>移动时，该组织的全部下级组织将一并移动。</p>
      <OrgSelect
        value={target?.id ?? null}
        onChange={(_v, org) => setTarget(org)}
        placeholder="搜索并选择新的上级组织"
        excludeIds={[detail.org.id]}
        data-testid="move-target"
      />
    </Modal>
  );
}
