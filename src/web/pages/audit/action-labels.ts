/**
 * Labels of the audit page. The actions and their Chinese labels are the server's registry (src/domain/audit-actions.ts,
 * decision 023); a code missing there does not compile on the server, and an old row's unknown code still shows, raw.
 */
export {
  AUDIT_ACTION_LABELS as ACTION_LABELS,
  AUDIT_MODULES,
  auditModuleOf as moduleOf,
} from '../../../domain/audit-actions';

export const TARGET_LABELS: Readonly<Record<string, string>> = {
  user: '账号',
  organization: '组织',
  secretary: '书记',
  member: '班子成员',
  committee_member: '班子成员',
  session: '会话',
  campaign: '方案',
  report: '述职报告',
  prior_rectification_item: '整改事项',
  meeting: '会议',
  meeting_comment: '评议意见',
  ballot_round: '测评轮次',
  survey: '满意度调查',
  observer_assignment: '观察员选派',
  research_visit: '调研走访',
  rectification_item: '整改事项',
  commitment: '公开承诺',
  checklist: '考核细则',
  checklist_item: '考核项目',
  assessment_team: '考评组',
  campaign_reporter: '述职对象',
  audit_log: '审计日志',
};
