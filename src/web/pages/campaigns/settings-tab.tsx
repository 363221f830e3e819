import { DeleteOutlined, PlusOutlined, SaveOutlined, UndoOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Col,
  Collapse,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { PHASES } from '../../../domain/campaign-phases';
import { AUDIENCES, COMMENT_MODES, KEY_SCOPES, REPORT_CHECKS } from '../../../domain/campaign-settings';
import { COMPONENT_LABELS, COMPONENTS } from '../../../domain/composite';
import { GRADE_LABELS, GRADES } from '../../../domain/grades';
import { campaignsApi, type CampaignDetail, type CampaignSettings } from '../../api/campaigns';
import { OrgIdSelect, OrgMultiSelect } from '../../components/org-pickers';
import { toOptions, useMeta } from '../../lib/meta';
import { notify } from '../../lib/notify';
import { fromForm, shareRule, showSettingsError, toForm, type SettingsForm } from './settings-form';

interface Props {
  detail: CampaignDetail;
  editable: boolean;
  onChanged: () => void;
}

/** Dates stay YYYY-MM-DD strings in the form, as the API and the domain rules read them. */
const dateProps = {
  getValueProps: (v: string | null | undefined) => ({ value: v ? dayjs(v) : null }),
  normalize: (d: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null),
};

const req = (message: string) => [{ required: true, message }];
const PHASE_OPTIONS = PHASES.map((p) => ({ value: p.key, label: p.label }));
const GRADE_OPTIONS = GRADES.map((g) => ({ value: g, label: GRADE_LABELS[g] }));

const PANELS = [
  'keyContentItems',
  'phases',
  'organizing',
  'reporterTiers',
  'report',
  'meeting',
  'ballots',
  'grading',
  'routes',
  'other',
] as const;
/** Which section a server field path opens. */
function panelOf(path: (string | number)[]): string {
  const head = String(path[0] ?? '');
  if (['fieldAssessment', 'survey', 'keyManagement'].includes(head)) return 'grading';
  if (head === 'summary' || head === 'scopePlan') return 'other';
  return (PANELS as readonly string[]).includes(head) ? head : 'other';
}

const ListError = ({ errors }: { errors: ReactNode[] }) => (errors.length ? <Form.ErrorList errors={errors} /> : null);

function RemoveButton({ onClick, disabled }: { onClick: () => void; disabled: boolean }) {
  return (
    <Button type="text" danger icon={<DeleteOutlined />} onClick={onClick} disabled={disabled} aria-label="删除" />
  );
}

export function SettingsTab({ detail, editable, onChanged }: Props) {
  const campaign = detail.campaign;
  // The tab is offered for full access only, where the settings are always sent.
  const settings = detail.settings!;
  const [form] = Form.useForm<SettingsForm>();
  const { sectors, kinds, levels } = useMeta();
  const inherited = new Set(detail.inheritedRoutes);
  const [saving, setSaving] = useState(false);
  const [open, setOpen] = useState<string[]>(['keyContentItems', 'phases']);
  const [dirty, setDirty] = useState(false);
  const initial = useMemo(() => toForm(settings), [settings]);
  const [title, setTitle] = useState(campaign.title);
  useEffect(() => setTitle(campaign.title), [campaign.title]);

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(initial);
    setDirty(false);
  }, [initial, form]);

  const weights = Form.useWatch(['grading', 'compositeWeights'], form) as Record<string, number> | undefined;
  const weightSum = COMPONENTS.reduce((s, c) => s + (Number(weights?.[c]) || 0), 0);
  const categories = Form.useWatch(['ballots', 'categories'], form) as { weight?: number }[] | undefined;
  const categorySum = (categories ?? []).reduce((s, c) => s + (Number(c?.weight) || 0), 0);

  const save = async () => {
    try {
      await form.validateFields();
    } catch {
      notify.warning('请先更正标红的项目');
      return;
    }
    setSaving(true);
    try {
      const values = form.getFieldsValue(true) as SettingsForm;
      const newTitle = title.trim() && title.trim() !== campaign.title ? title.trim() : undefined;
      await campaignsApi.saveSettings(campaign.id, fromForm(values, settings, campaign.year), newTitle);
      onChanged();
      notify.success('方案设置已保存');
    } catch (e) {
      const at = showSettingsError(form, e);
      if (at) {
        const panel = panelOf(at);
        setOpen((o) => (o.includes(panel) ? o : [...o, panel]));
      }
    } finally {
      setSaving(false);
    }
  };

  const sectorOpts = toOptions(sectors);
  const kindOpts = toOptions(kinds);
  const levelOpts = toOptions(levels);

  const items = [
    {
      key: 'keyContentItems',
      label: '重点内容',
      children: (
        <Form.List name="keyContentItems">
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((f, i) => (
                <Row key={f.key} gutter={8} align="top" wrap={false}>
                  <Col flex="32px" style={{ paddingTop: 5 }}>
                    {i + 1}.
                  </Col>
                  <Col flex="auto">
                    <Form.Item name={[f.name, 'title']} rules={req('请填写重点内容标题')} style={{ marginBottom: 4 }}>
                      <Input placeholder="标题" maxLength={200} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'description']} style={{ marginBottom: 12 }}>
                      <Input.TextArea placeholder="具体要求" autoSize={{ minRows: 1, maxRows: 5 }} maxLength={2000} />
                    </Form.Item>
                  </Col>
                  <Col flex="40px">
                    <RemoveButton onClick={() => remove(f.name)} disabled={!editable} />
                  </Col>
                </Row>
              ))}
              <ListError errors={errors} />
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                disabled={!editable}
                onClick={() => {
                  const used = new Set(
                    ((form.getFieldValue('keyContentItems') ?? []) as { id: string }[]).map((k) => k.id),
                  );
                  let n = fields.length + 1;
                  while (used.has(`k${n}`)) n++;
                  add({ id: `k${n}`, title: '', description: '' });
                }}
              >
                添加重点内容
              </Button>
            </>
          )}
        </Form.List>
      ),
    },
    {
      key: 'phases',
      label: '工作阶段与时间',
      children: (
        <Form.List name="phases">
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="start" wrap style={{ display: 'flex' }}>
                  <Form.Item name={[f.name, 'key']} rules={req('请选择阶段')}>
                    <Select options={PHASE_OPTIONS} style={{ width: 130 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'start']} rules={req('请选择开始日期')} {...dateProps}>
                    <DatePicker placeholder="开始日期" />
                  </Form.Item>
                  <Form.Item name={[f.name, 'end']} rules={req('请选择结束日期')} {...dateProps}>
                    <DatePicker placeholder="结束日期" />
                  </Form.Item>
                  <RemoveButton onClick={() => remove(f.name)} disabled={!editable} />
                </Space>
              ))}
              <ListError errors={errors} />
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                disabled={!editable}
                onClick={() => add({ key: undefined, start: null, end: null })}
              >
                添加阶段
              </Button>
            </>
          )}
        </Form.List>
      ),
    },
    {
      key: 'organizing',
      label: '组织方式与分级完成时限',
      children: (
        <>
          <Form.Item name={['organizing', 'mode']} label="组织方式">
            <Select
              style={{ width: 240 }}
              options={[
                { value: 'top_down', label: '自上而下、分级开展' },
                { value: 'bottom_up', label: '自下而上、压茬进行' },
              ]}
            />
          </Form.Item>
          <Form.List name={['organizing', 'stages']}>
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((f) => (
                  <Row key={f.key} gutter={8} wrap={false}>
                    <Col flex="auto">
                      <Form.Item name={[f.name, 'label']} rules={req('请填写说明')}>
                        <Input placeholder="哪一级完成什么" />
                      </Form.Item>
                    </Col>
                    <Col flex="160px">
                      <Form.Item name={[f.name, 'completeBy']} rules={req('请选择日期')} {...dateProps}>
                        <DatePicker placeholder="完成时间" style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col flex="40px">
                      <RemoveButton onClick={() => remove(f.name)} disabled={!editable} />
                    </Col>
                  </Row>
                ))}
                <ListError errors={errors} />
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  disabled={!editable}
                  onClick={() => add({ key: `stage${Date.now() % 100000}`, label: '', completeBy: null })}
                >
                  添加完成时限
                </Button>
              </>
            )}
          </Form.List>
        </>
      ),
    },
    {
      key: 'reporterTiers',
      label: '述职对象类别（字数、发言时间）',
      children: (
        <Form.List name="reporterTiers">
          {(fields, { add, remove }, { errors }) => (
            <>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                按顺序匹配，第一个符合的类别生效；条件留空表示不限。
              </Typography.Paragraph>
              {fields.map((f) => (
                <div key={f.key} className="campaign-subform">
                  <Row gutter={8}>
                    <Col xs={24} md={12}>
                      <Form.Item name={[f.name, 'label']} label="类别名称" rules={req('请填写类别名称')}>
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={4}>
                      <Form.Item name={[f.name, 'charLimit']} label="字数上限">
                        <InputNumber<number> min={1} precision={0} placeholder="不限" style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={4}>
                      <Form.Item name={[f.name, 'speakingMinutes']} label="发言（分钟）">
                        <InputNumber<number> min={1} precision={0} placeholder="不限" style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={3}>
                      <Form.Item name={[f.name, 'writtenOnlyAllowed']} label="可书面述职" valuePropName="checked">
                        <Switch />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={1} style={{ paddingTop: 30 }}>
                      <RemoveButton onClick={() => remove(f.name)} disabled={!editable} />
                    </Col>
                  </Row>
                  <Row gutter={8}>
                    <Col xs={24} md={8}>
                      <Form.Item name={[f.name, 'match', 'levels']} label="层级">
                        <Select mode="multiple" allowClear options={levelOpts} placeholder="不限" />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={8}>
                      <Form.Item name={[f.name, 'match', 'kinds']} label="组织类别">
                        <Select mode="multiple" allowClear options={kindOpts} placeholder="不限" />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={8}>
                      <Form.Item name={[f.name, 'match', 'sectors']} label="领域">
                        <Select mode="multiple" allowClear options={sectorOpts} placeholder="不限" />
                      </Form.Item>
                    </Col>
                  </Row>
                </div>
              ))}
              <ListError errors={errors} />
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                disabled={!editable}
                onClick={() =>
                  add({
                    key: `tier${Date.now() % 100000}`,
                    label: '',
                    match: {},
                    charLimit: 1500,
                    speakingMinutes: 5,
                    writtenOnlyAllowed: false,
                  })
                }
              >
                添加类别
              </Button>
            </>
          )}
        </Form.List>
      ),
    },
    {
      key: 'report',
      label: '述职报告',
      children: (
        <>
          <Row gutter={16}>
            <Col xs={24} sm={12} md={8}>
              <Form.Item name={['report', 'dueDaysBeforeMeeting']} label="会前报送天数" rules={req('请填写天数')}>
                <InputNumber<number> min={0} precision={0} suffix="天" style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} md={8}>
              <Form.Item
                name={['report', 'achievementsMaxShare']}
                label="成绩部分篇幅上限"
                rules={[shareRule]}
                extra="如“1/3”，留空表示不限"
              >
                <Input placeholder="不限" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name={['report', 'publicationAudience']} label="述职报告公开范围">
                <Select options={AUDIENCES.map((a) => ({ value: a.code, label: a.label }))} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name={['report', 'blockingChecks']} label="未通过时阻止提交的检查">
            <Select
              mode="multiple"
              allowClear
              options={REPORT_CHECKS.map((c) => ({ value: c.code, label: c.label }))}
              placeholder="无"
            />
          </Form.Item>
          <Space wrap size="large">
            <Form.Item name={['report', 'lateSubmissionAllowed']} label="允许逾期报送" valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name={['report', 'supervisorSignOffRequired']} label="主管领导审阅签字" valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name={['report', 'paperCopyRequired']} label="报送纸质版" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Typography.Text strong>必备内容</Typography.Text>
          <Form.List name={['report', 'requiredSections']}>
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" wrap style={{ display: 'flex', marginTop: 8 }}>
                    <Form.Item name={[f.name, 'title']} rules={req('请填写名称')}>
                      <Input placeholder="如：突出问题" style={{ width: 200 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'minChars']} rules={req('请填写字数')}>
                      <InputNumber<number> min={0} precision={0} prefix="不少于" suffix="字" style={{ width: 200 }} />
                    </Form.Item>
                    <RemoveButton onClick={() => remove(f.name)} disabled={!editable} />
                  </Space>
                ))}
                <ListError errors={errors} />
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  disabled={!editable}
                  style={{ marginTop: 8 }}
                  onClick={() => add({ key: `sec${Date.now() % 100000}`, title: '', minChars: 0 })}
                >
                  添加必备内容
                </Button>
              </>
            )}
          </Form.List>
        </>
      ),
    },
    {
      key: 'meeting',
      label: '述职评议会（下评、向本级党委述职、上级派员）',
      children: (
        <>
          <Form.Item
            name={['meeting', 'downwardReview']}
            label="下评"
            valuePropName="checked"
            extra="组织单位书记向下一级党组织书记报告抓基层党建工作，并接受其评议（使用下评评议表）"
          >
            <Switch checkedChildren="开展" unCheckedChildren="不开展" data-testid="setting-downward" />
          </Form.Item>
          <Space wrap size="large" align="start">
            <Form.Item
              name={['meeting', 'selfCommitteeReport', 'enabled']}
              label="向本级党委述职"
              valuePropName="checked"
            >
              <Switch checkedChildren="开展" unCheckedChildren="不开展" data-testid="setting-self-committee" />
            </Form.Item>
            <Form.Item name={['meeting', 'selfCommitteeReport', 'completeBy']} label="完成时间" {...dateProps}>
              <DatePicker placeholder="不限" />
            </Form.Item>
            <Form.Item name={['meeting', 'observers', 'required']} label="上级派员参加" valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name={['meeting', 'observers', 'byGroup']} label="分组指导" valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name={['meeting', 'commentMode']} label="点评方式" extra="会场控制台按此顺序进行">
              <Select
                style={{ width: 260 }}
                options={COMMENT_MODES.map((m) => ({ value: m.code, label: m.label }))}
                data-testid="setting-comment-mode"
              />
            </Form.Item>
          </Space>
        </>
      ),
    },
    {
      key: 'ballots',
      label: '测评（参评人员类别与权重）',
      children: (
        <>
          <Form.List name={['ballots', 'categories']}>
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" wrap style={{ display: 'flex' }}>
                    <Form.Item name={[f.name, 'label']} rules={req('请填写类别')}>
                      <Input placeholder="参评人员类别" style={{ width: 240 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'weight']} rules={req('请填写权重')}>
                      <InputNumber<number> min={0} max={100} precision={0} suffix="%" style={{ width: 130 }} />
                    </Form.Item>
                    <RemoveButton onClick={() => remove(f.name)} disabled={!editable} />
                  </Space>
                ))}
                <ListError errors={errors} />
                <Space wrap>
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    disabled={!editable}
                    onClick={() => add({ key: `cat${Date.now() % 100000}`, label: '', weight: 0 })}
                  >
                    添加类别
                  </Button>
                  <Typography.Text type={categorySum === 100 ? 'secondary' : 'danger'}>
                    权重合计 {categorySum}%（应为100%；权重0表示列席不测评）
                  </Typography.Text>
                </Space>
              </>
            )}
          </Form.List>
          <Form.Item
            name={['ballots', 'minGroupSize']}
            label="分类统计最少人数"
            style={{ marginTop: 16 }}
            extra="人数少于此数的类别不单独统计，避免推断个人投票"
          >
            <InputNumber<number> min={1} precision={0} suffix="人" style={{ width: 160 }} />
          </Form.Item>
        </>
      ),
    },
    {
      key: 'grading',
      label: '综合评价（等次、比例、权重）',
      children: (
        <>
          <Typography.Text strong>等次分值</Typography.Text>
          <Space wrap style={{ display: 'flex', marginTop: 8 }}>
            {GRADES.map((g) => (
              <Form.Item key={g} name={['grading', 'points', g]} rules={req('请填写分值')}>
                <InputNumber<number>
                  min={0}
                  max={100}
                  precision={0}
                  prefix={GRADE_LABELS[g]}
                  suffix="分"
                  style={{ width: 160 }}
                />
              </Form.Item>
            ))}
          </Space>
          <Typography.Text strong>等次比例</Typography.Text>
          <Form.List name={['grading', 'quotas']}>
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" wrap style={{ display: 'flex', marginTop: 8 }}>
                    <Form.Item name={[f.name, 'grades']} rules={req('请选择等次')}>
                      <Select mode="multiple" options={GRADE_OPTIONS} placeholder="等次" style={{ minWidth: 180 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'op']}>
                      <Select
                        style={{ width: 100 }}
                        options={[
                          { value: 'max', label: '不超过' },
                          { value: 'min', label: '不少于' },
                        ]}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'by']}>
                      <Select
                        style={{ width: 90 }}
                        options={[
                          { value: 'share', label: '比例' },
                          { value: 'count', label: '个数' },
                        ]}
                      />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate>
                      {() =>
                        form.getFieldValue(['grading', 'quotas', f.name, 'by']) === 'count' ? (
                          <Form.Item name={[f.name, 'count']} rules={req('请填写个数')}>
                            <InputNumber<number> min={0} precision={0} suffix="个" style={{ width: 120 }} />
                          </Form.Item>
                        ) : (
                          <Form.Item name={[f.name, 'share']} rules={[...req('请填写比例'), shareRule]}>
                            <Input placeholder="如 15% 或 1/3" style={{ width: 130 }} />
                          </Form.Item>
                        )
                      }
                    </Form.Item>
                    <Form.Item name={[f.name, 'rounding']}>
                      <Select
                        allowClear
                        placeholder="取整"
                        style={{ width: 120 }}
                        options={[
                          { value: 'floor', label: '向下取整' },
                          { value: 'ceil', label: '向上取整' },
                          { value: 'round', label: '四舍五入' },
                        ]}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'hard']} valuePropName="checked">
                      <Switch checkedChildren="硬性" unCheckedChildren="参考" />
                    </Form.Item>
                    <RemoveButton onClick={() => remove(f.name)} disabled={!editable} />
                  </Space>
                ))}
                <ListError errors={errors} />
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  disabled={!editable}
                  style={{ margin: '8px 0 16px' }}
                  onClick={() => add({ grades: ['good'], op: 'max', by: 'share', share: '', hard: true })}
                >
                  添加等次比例
                </Button>
              </>
            )}
          </Form.List>
          <Typography.Text strong>直接确定为“差”的情形</Typography.Text>
          <Space wrap size="large" align="start" style={{ display: 'flex', marginTop: 8 }}>
            <Form.Item
              name={['grading', 'autoPoor', 'averageOrPoorShareAbove']}
              label="“一般”“差”票超过"
              rules={[shareRule]}
            >
              <Input placeholder="不适用" style={{ width: 130 }} />
            </Form.Item>
            <Form.Item name={['grading', 'autoPoor', 'majorError']} label="重大失误" valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name={['grading', 'autoPoor', 'accountability']} label="被问责追责" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Typography.Text strong>综合评价权重</Typography.Text>
          <Space wrap style={{ display: 'flex', marginTop: 8 }}>
            {COMPONENTS.map((c) => (
              <Form.Item key={c} name={['grading', 'compositeWeights', c]} rules={req('请填写权重')}>
                <InputNumber<number>
                  min={0}
                  max={100}
                  precision={0}
                  prefix={COMPONENT_LABELS[c]}
                  suffix="%"
                  style={{ width: 190 }}
                />
              </Form.Item>
            ))}
          </Space>
          <Typography.Paragraph type={weightSum === 100 ? 'secondary' : 'danger'}>
            合计 {weightSum}%（应为100%）
          </Typography.Paragraph>
          <Space wrap size="large" align="start">
            <Form.Item name={['fieldAssessment', 'enabled']} label="实地考核" valuePropName="checked">
              <Switch checkedChildren="开展" unCheckedChildren="不开展" />
            </Form.Item>
            <Form.Item name={['survey', 'enabled']} label="满意度调查" valuePropName="checked">
              <Switch checkedChildren="开展" unCheckedChildren="不开展" />
            </Form.Item>
            <Form.Item name={['survey', 'sampleSize']} label="每单位样本数">
              <InputNumber<number> min={0} precision={0} suffix="人" style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name={['keyManagement', 'enabled']} label="列入重点管理" valuePropName="checked">
              <Switch checkedChildren="开展" unCheckedChildren="不开展" />
            </Form.Item>
            <Form.Item name={['keyManagement', 'scope']} label="重点管理名单确定范围">
              <Select style={{ width: 320 }} options={KEY_SCOPES.map((k) => ({ value: k.code, label: k.label }))} />
            </Form.Item>
            <Form.Item
              name={['grading', 'lowerShareStatedAtLock']}
              label="“较好”及以下比例"
              valuePropName="checked"
              extra="方案未规定比例时，由党委（党组）在审定等次时确定"
            >
              <Switch checkedChildren="锁定时确定" unCheckedChildren="不需要" />
            </Form.Item>
          </Space>
        </>
      ),
    },
    {
      key: 'routes',
      label: '述职路由（默认向上级党组织述职）',
      children: (
        <Form.List name="routes">
          {(fields, { add, remove }, { errors }) => (
            <>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                未匹配任何规则的党组织向其上级党组织述职；符合规则的改向指定党组织述职，按顺序第一个符合的规则生效。
              </Typography.Paragraph>
              {fields.map((f, i) =>
                inherited.has(i) ? (
                  <InheritedRoute
                    key={f.key}
                    index={i}
                    rule={form.getFieldValue(['routes', f.name])}
                    names={detail.orgNames}
                  />
                ) : (
                  <div key={f.key} className="campaign-subform" data-testid={`route-rule-${i}`}>
                    <Row gutter={8}>
                      <Col xs={24} md={11}>
                        <Form.Item name={[f.name, 'label']} label="规则名称" rules={req('请填写规则名称')}>
                          <Input />
                        </Form.Item>
                      </Col>
                      <Col xs={22} md={12}>
                        <Form.Item
                          name={[f.name, 'reportTo']}
                          label="向哪个党组织述职"
                          rules={req('请选择听取述职的党组织')}
                        >
                          <OrgIdSelect placeholder="搜索并选择党组织" data-testid={`route-target-${i}`} />
                        </Form.Item>
                      </Col>
                      <Col xs={2} md={1} style={{ paddingTop: 30 }}>
                        <RemoveButton onClick={() => remove(f.name)} disabled={!editable} />
                      </Col>
                    </Row>
                    <Row gutter={8}>
                      <Col xs={24} md={6}>
                        <Form.Item name={[f.name, 'match', 'sectors']} label="领域">
                          <Select mode="multiple" allowClear options={sectorOpts} placeholder="不限" />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={6}>
                        <Form.Item name={[f.name, 'match', 'kinds']} label="组织类别">
                          <Select mode="multiple" allowClear options={kindOpts} placeholder="不限" />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={12}>
                        <Form.Item noStyle shouldUpdate>
                          {() =>
                            Array.isArray(form.getFieldValue(['routes', f.name, 'match', 'orgIds'])) ? (
                              <Form.Item
                                name={[f.name, 'match', 'orgIds']}
                                label="指定党组织"
                                rules={[{ required: true, type: 'array', min: 1, message: '请选择适用的党组织' }]}
                              >
                                <OrgMultiSelect data-testid={`route-orgs-${i}`} />
                              </Form.Item>
                            ) : (
                              <Button
                                type="link"
                                style={{ marginTop: 30 }}
                                disabled={!editable}
                                onClick={() => form.setFieldValue(['routes', f.name, 'match', 'orgIds'], [])}
                              >
                                限定为指定的党组织
                              </Button>
                            )
                          }
                        </Form.Item>
                      </Col>
                    </Row>
                  </div>
                ),
              )}
              <ListError errors={errors} />
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                disabled={!editable}
                onClick={() => add({ label: '', match: {}, reportTo: null })}
              >
                添加路由规则
              </Button>
            </>
          )}
        </Form.List>
      ),
    },
    {
      key: 'other',
      label: '总结报告',
      children: (
        <Space wrap size="large" align="start">
          <Form.Item name={['summary', 'dueDaysAfterRound']} label="工作结束后报送时限">
            <InputNumber<number> min={0} precision={0} suffix="日内" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name={['summary', 'resultsDueDate']} label="评议结果报送截止" {...dateProps}>
            <DatePicker placeholder="不限" />
          </Form.Item>
          <Form.Item
            name={['summary', 'upperBody']}
            label="上级党组织（不在本系统中时）"
            extra="本级为系统中最高一级时，总结报告报送此单位"
          >
            <Input style={{ width: 260 }} maxLength={100} placeholder="如：某某市委组织部" />
          </Form.Item>
        </Space>
      ),
    },
  ];

  return (
    <Form<SettingsForm>
      form={form}
      layout="vertical"
      disabled={!editable}
      initialValues={initial}
      onValuesChange={() => setDirty(true)}
      data-testid="settings-form"
      className="campaign-settings-form"
    >
      {!editable && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={
            campaign.state !== 'draft'
              ? '方案已发布，设置不能再修改（阶段的开启与关闭在“概况”中进行）。'
              : campaign.filingState === 'filed'
                ? '方案已报上级备案，等待审核期间不能修改。'
                : campaign.filingState === 'acknowledged'
                  ? '方案已经上级确认备案，不能再修改。'
                  : '您无权修改本方案的设置。'
          }
        />
      )}
      <Form.Item label="方案名称" required>
        <Input
          value={title}
          maxLength={100}
          onChange={(e) => {
            setTitle(e.target.value);
            setDirty(true);
          }}
          data-testid="settings-title"
        />
      </Form.Item>
      <Collapse
        activeKey={open}
        onChange={(k) => setOpen(k as string[])}
        items={items.map((it) => ({ ...it, forceRender: true }))}
      />
      {editable && (
        <div className="campaign-form-actions">
          <Space>
            <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={save} data-testid="settings-save">
              保存设置
            </Button>
            <Button
              icon={<UndoOutlined />}
              disabled={!dirty || saving}
              onClick={() => {
                form.resetFields();
                form.setFieldsValue(initial);
                setTitle(campaign.title);
                setDirty(false);
              }}
            >
              撤销修改
            </Button>
            {dirty && <Typography.Text type="warning">有未保存的修改</Typography.Text>}
          </Space>
        </div>
      )}
    </Form>
  );
}

/**
 * A route rule copied from the level above (a township's round inherits the county's): shown as text, with the
 * names the server sent — its targets often lie outside this user's subtree, and the level above owns the rule.
 */
function InheritedRoute({
  index,
  rule,
  names,
}: {
  index: number;
  rule: CampaignSettings['routes'][number];
  names: Record<string, string>;
}) {
  const { sectorLabel, kindLabel } = useMeta();
  const name = (id: number | null) => (id === null ? '上级党组织' : (names[String(id)] ?? `组织 #${id}`));
  const m = rule.match;
  const parts = [
    m.sectors?.length ? `领域：${m.sectors.map(sectorLabel).join('、')}` : null,
    m.kinds?.length ? `组织类别：${m.kinds.map(kindLabel).join('、')}` : null,
    m.orgIds?.length ? `指定党组织：${m.orgIds.map(name).join('、')}` : null,
  ].filter(Boolean);
  return (
    <div className="campaign-subform" data-testid={`route-rule-${index}`}>
      <Typography.Text strong>{rule.label}</Typography.Text>
      <Typography.Text type="secondary">（上级方案规定，本级不能修改）</Typography.Text>
      <div data-testid={`route-target-${index}`}>
        向「{name(rule.reportTo)}」述职{parts.length ? `；${parts.join('；')}` : ''}
      </div>
    </div>
  );
}
