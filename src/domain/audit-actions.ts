/**
 * Every audit action the server writes, with its Chinese label, grouped by module (decision 023). The audit writer
 * (src/server/http/audit.ts) takes an AuditAction, so an action missing here does not compile; the audit page shows
 * these labels and offers the module prefixes as its filter. No I/O: shared by the server and the web.
 */
export interface AuditModule {
  /** Prefix passed to the server's `action` filter (matched with LIKE 'prefix%'). */
  readonly prefix: string;
  readonly label: string;
  readonly actions: Readonly<Record<string, string>>;
}

export const AUDIT_MODULES = [
  {
    prefix: 'auth.',
    label: '登录与会话',
    actions: {
      'auth.login': '登录',
      'auth.logout': '退出登录',
      'auth.lock': '账号锁定',
      'auth.password': '修改本人密码',
    },
  },
  {
    prefix: 'account.',
    label: '账号管理',
    actions: {
      'account.create': '新建账号',
      'account.update': '修改账号',
      'account.password': '重置密码',
      'account.unlock': '解锁账号',
      'account.role': '修改角色',
      'account.expire_password': '强制修改密码',
    },
  },
  {
    prefix: 'org.',
    label: '组织架构',
    actions: {
      'org.create': '新建组织',
      'org.update': '修改组织',
      'org.move': '移动组织',
      'org.import': '批量导入',
      'org.secretary.appoint': '更换书记',
      'org.member.add': '添加班子成员',
      'org.member.update': '修改班子成员',
      'org.member.remove': '删除班子成员',
    },
  },
  {
    prefix: 'campaign.',
    label: '述职评议考核方案',
    actions: {
      'campaign.create': '新建方案',
      'campaign.settings.update': '修改方案设置',
      'campaign.scope.update': '修改述职范围',
      'campaign.publish': '发布方案',
      'campaign.subcampaign.create': '生成下级方案',
      'campaign.filing.submit': '提交方案报备',
      'campaign.filing.acknowledge': '确认方案报备',
      'campaign.filing.return': '退回方案报备',
      'campaign.phase.open': '提前开启阶段',
      'campaign.phase.extend': '延长阶段',
      'campaign.phase.close': '关闭阶段',
      'campaign.phase.reopen': '重新开启阶段',
      'campaign.reporter.add': '添加述职对象',
      'campaign.reporter.remove': '移出述职对象',
      'campaign.reporter.self_committee': '登记向本级党委述职',
      'campaign.reporter.self_committee.file': '报备向本级党委述职评议结果',
      'campaign.close': '结束方案',
      'campaign.archive': '归档方案',
    },
  },
  {
    prefix: 'oversight.',
    label: '督导与调研',
    actions: {
      'oversight.observer.assign': '选派观察员',
      'oversight.observer.remove': '撤回观察员',
      'oversight.observation.record': '填写观察记录',
      'oversight.visit.create': '新增调研走访',
      'oversight.visit.update': '修改调研走访',
    },
  },
  {
    prefix: 'report.',
    label: '述职报告',
    actions: {
      'report.create': '新建述职报告',
      'report.save': '保存述职报告',
      'report.upload_docx': '上传 Word 报告',
      'report.attachment_add': '添加附件',
      'report.attachment_remove': '删除附件',
      'report.rectification_item_add': '添加整改事项',
      'report.rectification_item_remove': '删除整改事项',
      'report.submit': '提交审核',
      'report.remind': '催报',
      'report.return': '退回修改',
      'report.order_rewrite': '责令重写',
      'report.approve': '审核通过',
      'report.sign': '签字确认',
      'report.publish': '公开述职报告',
    },
  },
  {
    prefix: 'meeting.',
    label: '述职评议会',
    actions: {
      'meeting.create': '新建会议',
      'meeting.update': '修改会议',
      'meeting.delete': '删除会议',
      'meeting.agenda': '调整议程',
      'meeting.attendance': '登记出席',
      'meeting.step': '切换会议环节',
      'meeting.timer': '操作计时器',
      'meeting.advance': '进入下一项议程',
      'meeting.attendees': '保存参会人员名单',
      'meeting.attendees.import': '导入参会人员名单',
      'meeting.close': '结束会议',
      'meeting.comment.add': '添加评议意见',
      'meeting.comment.edit': '修改评议意见',
      'meeting.comment.delete': '删除评议意见',
    },
  },
  {
    prefix: 'ballot',
    label: '民主测评',
    actions: {
      'ballot_round.create': '新建测评轮次',
      'ballot_round.open': '开始测评',
      'ballot_round.close': '结束测评',
      'ballot_round.rotate_room_code': '更换会场码',
      'ballot_round.paper_counts': '登记纸质表发放与回收数',
      'ballot_round.release': '发布测评结果',
      'ballot_round.void': '测评作废',
      'ballot_round.purge': '清除演练数据',
      'ballot_codes.issue': '发放测评码',
      'ballot_paper.enter': '录入纸质测评表',
      'ballot_paper.delete': '删除纸质测评表',
    },
  },
  {
    prefix: 'survey.',
    label: '满意度调查',
    actions: {
      'survey.create': '新建满意度调查',
      'survey.update': '修改满意度调查问卷',
      'survey.respondent_add': '添加调查对象',
      'survey.respondent_remove': '删除调查对象',
      'survey.respondent_import': '导入调查对象名单',
      'survey.sample': '抽取调查对象',
      'survey.tokens_issue': '发放调查链接',
      'survey.open': '开始满意度调查',
      'survey.close': '结束满意度调查',
      'survey.paper_enter': '录入纸质问卷',
    },
  },
  {
    prefix: 'evaluation.',
    label: '综合评价',
    actions: {
      'evaluation.inputs': '录入平时掌握等评价信息',
      'evaluation.recompute': '计算综合评价',
      'evaluation.decide': '确定等次',
      'evaluation.opinion': '填写综合评价意见',
      'evaluation.review': '党委成员表态',
      'evaluation.lock': '锁定综合评价结果',
    },
  },
  {
    prefix: 'evaluation.output.',
    label: '综合评价结果文书',
    actions: {
      'evaluation.output.feedback': '生成反馈意见',
      'evaluation.output.notice': '生成结果通报',
      'evaluation.output.cadre_file': '生成干部档案材料',
      'evaluation.output.ranking': '生成综合评价排名表',
    },
  },
  {
    prefix: 'themes.',
    label: '群众意见归纳',
    actions: {
      'themes.job.start': '生成意见归纳',
      'themes.export.docx': '导出意见归纳（Word）',
      'themes.export.xlsx': '导出意见归纳（Excel）',
      'themes.draft.create': '主题生成整改事项草稿',
      'themes.draft.merge': '草稿并入整改事项',
      'themes.draft.reject': '不采纳整改事项草稿',
    },
  },
  {
    prefix: 'rectification.',
    label: '问题整改',
    actions: {
      'rectification.item.create': '新建整改事项',
      'rectification.item.update': '修改整改事项',
      'rectification.item.delete': '删除整改事项',
      'rectification.item.start': '开始整改',
      'rectification.item.submit': '提交验收',
      'rectification.progress.add': '填报整改进展',
      'rectification.evidence.add': '上传佐证材料',
      'rectification.verify.pass': '验收销号',
      'rectification.verify.fail': '验收退回',
      'rectification.verify.reopen': '重新整改',
      'rectification.carry_over': '结转上年度整改事项',
      'rectification.commitment.create': '起草公开承诺',
      'rectification.commitment.update': '修改公开承诺',
      'rectification.commitment.file': '公开承诺报组织部门',
      'rectification.commitment.acknowledge': '确认公开承诺',
      'rectification.commitment.return': '退回公开承诺',
      'rectification.commitment.publish': '公开承诺',
    },
  },
  {
    prefix: 'assessment.',
    label: '实地考核',
    actions: {
      'assessment.checklist.create': '新建考核细则',
      'assessment.checklist.update': '修改考核细则',
      'assessment.checklist.remove': '删除考核细则',
      'assessment.item.create': '新增考核项目',
      'assessment.item.update': '修改考核项目',
      'assessment.item.remove': '删除考核项目',
      'assessment.team.create': '新建考评组',
      'assessment.team.update': '修改考评组',
      'assessment.team.remove': '删除考评组',
      'assessment.score.save': '实地考核评分',
      'assessment.photo.add': '上传考核照片',
      'assessment.complete': '提交实地考核',
      'assessment.reopen': '退回实地考核',
    },
  },
  {
    prefix: 'results.',
    label: '结果运用',
    actions: {
      'results.derive': '生成结果运用清单',
      'results.follow_up.record': '记录约谈/整改/加强情况',
      'results.follow_up.done': '办结结果运用事项',
      'results.follow_up.accountability': '登记追责问责',
      'results.key.propose': '提出重点管理名单',
      'results.key.add': '增列重点管理对象',
      'results.key.remove': '调出重点管理对象',
      'results.key.confirm': '确认重点管理对象',
      'results.key.upgrade': '重点管理对象晋位升级',
      'results.performance.import': '导入绩效考核结果',
      'results.performance.honours': '设置评优名额',
      'results.summary.save': '保存总结报告',
      'results.summary.submit': '上报总结报告',
      'results.summary.send': '报送总结报告（系统外上级）',
      'results.summary.receive': '接收下级总结报告',
      'results.summary.docx': '生成总结报告',
    },
  },
  {
    prefix: 'audit.',
    label: '审计日志',
    actions: {
      'audit.purge': '审计日志保留期清理',
      'audit.export': '导出审计日志',
    },
  },
] as const satisfies readonly AuditModule[];

/** An action code the audit log may hold, e.g. 'org.create'. */
export type AuditAction = (typeof AUDIT_MODULES)[number] extends infer M
  ? M extends { readonly actions: infer A }
    ? keyof A & string
    : never
  : never;

/** Looked up by the stored string: rows written before an action was renamed still carry the old code. */
export const AUDIT_ACTION_LABELS: ReadonlyMap<string, string> = new Map(
  AUDIT_MODULES.flatMap((m) => Object.entries(m.actions)),
);

/** The module of a code, by the longest matching prefix. */
export const auditModuleOf = (code: string): AuditModule | undefined =>
  AUDIT_MODULES.filter((m) => code.startsWith(m.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
