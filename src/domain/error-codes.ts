/**
 * Every error code the server answers with (decision 023): its HTTP status, a default Chinese message, and the route
 * tags (modules) that can answer it, for the OpenAPI document. AppError takes its status from here, so a code cannot
 * mean 404 in one module and 400 in another; a throw may still pass its own message (most name the object at fault).
 * The web imports ErrorCode to compare codes it reacts to. error-codes.test.ts keeps this table and the code in step.
 * No I/O: shared by the server and the web.
 */

/** Route tags: one per module folder under src/server/modules (meta's routes are tagged 'system'). */
export const MODULE_TAGS = [
  'accounts', 'assessment', 'audit', 'auth', 'ballots', 'campaigns', 'evaluation', 'meetings', 'organizations',
  'oversight', 'rectification', 'reports', 'results', 'surveys', 'system', 'themes',
] as const;
export type ModuleTag = (typeof MODULE_TAGS)[number];

export interface ErrorDef {
  /** HTTP status of the answer, 400–599. */
  readonly status: number;
  /** Chinese; shown when the throw passes no message of its own. */
  readonly message: string;
  /** The route tags that can answer this code ('all': any route, e.g. a malformed body or a database error). */
  readonly in: 'all' | readonly ModuleTag[];
}

export const ERROR_CODES = {  // HTTP, sessions and the framework
  BAD_MULTIPART: { status: 400, message: '上传内容格式不正确，请重新选择文件上传', in: 'all' },
  BAD_REQUEST: { status: 400, message: '请求格式不正确', in: 'all' },
  BAD_URL: { status: 400, message: '请求地址格式不正确', in: 'all' },
  CSRF: { status: 403, message: '请求缺少有效的安全令牌（CSRF），请刷新页面后重试', in: ['accounts', 'assessment', 'audit', 'auth', 'ballots', 'campaigns', 'evaluation', 'meetings', 'organizations', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  DUPLICATE: { status: 409, message: '数据重复，与已有记录冲突', in: 'all' },
  EMPTY_BODY: { status: 400, message: '请求体不能为空', in: 'all' },
  HEADERS_TOO_LARGE: { status: 431, message: '请求头过长（网址或Cookie过长），请缩短后重试', in: 'all' },
  INTERNAL: { status: 500, message: '服务器内部错误', in: 'all' },
  INVALID_JSON: { status: 400, message: '请求体不是有效的JSON', in: 'all' },
  INVALID_VALUE: { status: 400, message: '数据格式或取值超出允许范围', in: 'all' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, message: '请先修改密码后再继续使用', in: ['accounts', 'assessment', 'audit', 'auth', 'ballots', 'campaigns', 'evaluation', 'meetings', 'organizations', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  PAYLOAD_TOO_LARGE: { status: 413, message: '上传内容超过大小限制', in: 'all' },
  REFERENCE: { status: 409, message: '引用的数据不存在或仍被使用', in: 'all' },
  REQUEST_TIMEOUT: { status: 408, message: '请求超时，请重试', in: 'all' },
  SESSION_EXPIRED: { status: 401, message: '会话已超时，请重新登录', in: ['accounts', 'assessment', 'audit', 'auth', 'ballots', 'campaigns', 'evaluation', 'meetings', 'organizations', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  UNAUTHENTICATED: { status: 401, message: '请先登录', in: ['accounts', 'assessment', 'audit', 'auth', 'ballots', 'campaigns', 'evaluation', 'meetings', 'organizations', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '不支持的请求内容类型', in: 'all' },
  URL_TOO_LONG: { status: 414, message: '请求地址过长', in: 'all' },

  // uploads (src/server/uploads)
  BUSY: { status: 429, message: '服务器正在处理其他上传的文件，请稍后重试', in: ['reports', 'themes'] },
  UNPACKED_TOO_LARGE: { status: 413, message: '文件解压后过大，可能是恶意构造的压缩文件，未导入', in: ['evaluation', 'organizations', 'reports', 'results', 'surveys'] },

  // rules in src/domain
  AGENDA_DUPLICATE: { status: 400, message: '述职对象在议程中重复出现', in: ['meetings'] },
  AGENDA_NO_TIER: { status: 400, message: '述职对象类别不存在，无法确定发言时间', in: ['meetings'] },
  AGENDA_UNKNOWN_REPORTER: { status: 400, message: '议程中有不属于本次述职评议考核的述职对象', in: ['meetings'] },
  BEFORE_MEETING: { status: 409, message: '述职评议会尚未召开，不能提前开始投票', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  CAMPAIGN_NOT_ACTIVE: { status: 400, message: '本次述职评议考核当前状态不能开启或关闭阶段', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  CAMPAIGN_TRANSITION: { status: 400, message: '本次述职评议考核当前状态不能进行此操作', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  EMPTY_SCOPE: { status: 400, message: '述职范围为空：没有符合条件的党组织，请调整范围', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  END_REQUIRED: { status: 400, message: '请填写新的结束日期', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  FORBIDDEN: { status: 403, message: '无权进行此操作', in: ['accounts', 'assessment', 'audit', 'auth', 'ballots', 'campaigns', 'evaluation', 'meetings', 'organizations', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'system', 'themes'] },
  INCOMPLETE: { status: 400, message: '尚有题目未作答，请回答全部题目后提交', in: ['surveys'] },
  INVALID_SETTINGS: { status: 400, message: '方案设置不符合要求', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  INVALID_YEAR: { status: 400, message: '年度应为2000至2099之间的年份', in: ['campaigns'] },
  LEVEL_ORDER: { status: 409, message: '与上级述职评议考核的日程安排冲突', in: ['campaigns'] },
  NO_REPORTER_TIER: { status: 400, message: '该党组织不属于任何述职对象类别，无法确定字数上限和发言时间', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  NO_SPEAKER: { status: 409, message: '请先选择发言人', in: ['meetings'] },
  NOT_FOUND: { status: 404, message: '请求的数据不存在', in: 'all' },
  NOTE_REQUIRED: { status: 400, message: '判定为不合格的项目须填写问题说明', in: ['assessment', 'auth', 'campaigns'] },
  OUTSIDE_PHASE: { status: 400, message: '日期不在所属阶段内', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  PERFORMANCE_NO_SCORES: { status: 400, message: '未填写绩效排名时，每一行都须填写绩效得分，系统据此排名', in: ['results'] },
  PERFORMANCE_RANKS_PARTIAL: { status: 400, message: '请全部填写绩效排名，或全部留空由系统计算', in: ['results'] },
  PHASE_DATES: { status: 400, message: '阶段日期不符合要求', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  PHASE_NOT_OPEN: { status: 409, message: '该操作所属的阶段未开启', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  PHASE_TRANSITION: { status: 400, message: '该阶段当前状态不能进行此操作', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  PHASE_UNKNOWN: { status: 400, message: '本次述职评议考核没有该阶段', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  PLAN_PHASE_MISSING: { status: 409, message: '本次述职评议考核的方案缺少该阶段', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  QUOTA_RULE_INVALID: { status: 400, message: '等次比例规则不符合要求', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  QUOTA_RULES_CONFLICT: { status: 400, message: '等次比例规则无法同时满足', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  REASON_REQUIRED: { status: 400, message: '退回方案须填写理由', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  ROUTE_CYCLE: { status: 400, message: '述职路由规则会使党组织最终向自己述职', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  ROUTE_MISSING: { status: 400, message: '部分党组织没有上级党组织，也没有适用的述职路由', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  ROUTE_TARGET_UNKNOWN: { status: 400, message: '述职路由规则指定的听取述职党组织不存在', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  ROUTE_UNBOUND: { status: 400, message: '述职路由规则尚未设置完整', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  SCORE_ABOVE_MAX: { status: 400, message: '得分超过该项分值', in: ['assessment', 'auth', 'campaigns'] },
  TRANSITION_REFUSED: { status: 409, message: '只有草稿或被退回的承诺才能报送', in: ['auth', 'rectification', 'reports', 'themes'] },
  TREE_CYCLE: { status: 400, message: '党组织上下级关系存在循环', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  UNKNOWN_ITEM: { status: 400, message: '题目不在本问卷中', in: ['surveys'] },
  UNKNOWN_LEVEL: { status: 400, message: '选项无效，只能选择满意、比较满意、基本满意或不满意', in: ['surveys'] },
  UNKNOWN_ORG: { status: 400, message: '该党组织不存在或不在本组织体系内', in: ['assessment', 'ballots', 'campaigns', 'evaluation', 'meetings', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'themes'] },
  UNKNOWN_TEMPLATE: { status: 400, message: '模板不存在', in: ['campaigns'] },
  VALIDATION: { status: 400, message: '提交的数据不符合要求', in: 'all' },
  WEAK_PASSWORD: { status: 400, message: '密码不符合复杂度要求', in: ['accounts', 'assessment', 'audit', 'auth', 'ballots', 'campaigns', 'evaluation', 'meetings', 'organizations', 'oversight', 'rectification', 'reports', 'results', 'surveys', 'system', 'themes'] },
  WRITTEN_ONLY_NOT_ALLOWED: { status: 400, message: '该类别须现场述职，不能书面述职', in: ['meetings'] },

  // modules/documents
  FONT_MISSING: { status: 503, message: '服务器缺少中文字体（fonts-noto-cjk），无法生成文件', in: ['ballots', 'surveys'] },

  // modules/accounts
  DUPLICATE_USERNAME: { status: 409, message: '用户名已被使用', in: ['accounts'] },

  // modules/assessment
  ALREADY_ASSIGNED: { status: 409, message: '述职对象已分配给其他考评组，每个述职对象只能由一个考评组考核', in: ['assessment', 'oversight'] },
  ASSESSMENT_COMPLETED: { status: 409, message: '该述职对象的实地考核已提交', in: ['assessment'] },
  ASSESSMENT_INCOMPLETE: { status: 409, message: '还有考核项目未评分', in: ['assessment'] },
  ASSESSMENT_NOT_COMPLETED: { status: 409, message: '实地考核尚未提交，无需退回', in: ['assessment'] },
  CAMPAIGN_ARCHIVED: { status: 409, message: '该述职评议考核已归档，不能再修改实地考核', in: ['assessment', 'auth', 'campaigns', 'oversight'] },
  CHECKLIST_SCORED: { status: 409, message: '该考核细则已有评分，不能删除', in: ['assessment'] },
  CLIENT_ID_REUSED: { status: 409, message: '该评分编号已用于其他考核项目，请刷新页面后重新评分', in: ['assessment'] },
  ITEM_SCORED: { status: 409, message: '该考核项目已有评分，不能删除', in: ['assessment'] },
  ITEM_SCORED_ABOVE: { status: 409, message: '该项已有更高分值的评分，分值不能低于已有评分', in: ['assessment'] },
  NO_CHECKLIST: { status: 409, message: '没有适用的考核细则，请联系组织部门', in: ['assessment'] },
  TEAM_EXISTS: { status: 409, message: '考评组已存在', in: ['assessment'] },
  TOO_MANY_PHOTOS: { status: 409, message: '该考核项目的照片数量已达上限', in: ['assessment'] },

  // modules/audit
  AUDIT_EXPORT_TOO_LARGE: { status: 400, message: '符合条件的审计记录超过单次导出上限，请缩小时间范围或筛选条件', in: ['audit'] },
  AUDIT_VERIFY_RUNNING: { status: 409, message: '审计链校验正在进行，请稍后再试', in: ['audit'] },
  CONFLICT: { status: 409, message: '操作与当前数据状态冲突', in: ['audit'] },

  // modules/auth
  ACCOUNT_DISABLED: { status: 403, message: '账号已停用，请联系管理员', in: ['auth'] },
  ACCOUNT_LOCKED: { status: 423, message: '密码错误次数过多，账号已锁定，请稍后再试', in: ['auth'] },
  INVALID_CREDENTIALS: { status: 401, message: '用户名或密码错误', in: ['auth'] },
  PASSWORD_REUSED: { status: 400, message: '新密码不能与当前密码相同', in: ['auth'] },
  RATE_LIMITED: { status: 429, message: '登录尝试过于频繁，请1分钟后再试', in: ['auth', 'ballots', 'surveys'] },
  WRONG_PASSWORD: { status: 400, message: '当前密码不正确', in: ['auth'] },

  // modules/ballots
  ALREADY_PURGED: { status: 409, message: '该演练已清除', in: ['ballots', 'rectification', 'themes'] },
  ATTENDEES_REQUIRED: { status: 400, message: '会议尚未登记签到人数，请在会议签到中登记或在此填写签到人数', in: ['ballots', 'rectification', 'themes'] },
  BOTH_ENTERED: { status: 409, message: '该述职对象此类别的纸质表已录入两次；如有不一致，请先删除错误的一次', in: ['ballots', 'rectification', 'results', 'themes'] },
  CODE_LOCKED: { status: 423, message: '会场码输错次数过多，该投票码已停用，请向工作人员求助', in: ['ballots'] },
  CODE_MISTYPED: { status: 400, message: '投票码有误，请核对投票条上的投票码后重新输入', in: ['ballots'] },
  CODE_UNKNOWN: { status: 404, message: '投票码无效，请核对投票条上的投票码后重新输入', in: ['ballots', 'surveys'] },
  CODE_USED: { status: 409, message: '您已对该述职对象投过票，每个投票码对每位述职对象只能投一次', in: ['ballots'] },
  CODE_VOIDED: { status: 410, message: '该投票码已作废（投票条已重新印制），请向工作人员领取新的投票条', in: ['ballots'] },
  CODES_IN_USE: { status: 409, message: '投票码已有人使用，不能作废重印', in: ['ballots'] },
  DUPLICATE_REPORTER: { status: 400, message: '同一述职对象在一次提交中只能评价一次', in: ['ballots'] },
  EXPLANATION_REQUIRED: { status: 400, message: '票数核对存在不一致，发布结果前须书面说明原因（不少于10字）', in: ['ballots', 'rectification', 'themes'] },
  NO_CODES: { status: 409, message: '尚未生成投票码，请先打印投票条', in: ['ballots', 'rectification', 'themes'] },
  NO_REPORTERS: { status: 409, message: '该述职评议会尚未安排述职对象，请先设置议程', in: ['ballots', 'rectification', 'themes'] },
  NOT_CLOSED: { status: 409, message: '测评尚未结束，不能发布结果', in: ['ballots', 'rectification', 'themes'] },
  NOT_DRAFT: { status: 409, message: '测评已开始，不能再开始投票', in: ['ballots', 'rectification', 'themes'] },
  NOT_OPEN: { status: 409, message: '测评未在进行中，不能结束投票', in: ['ballots', 'rectification', 'themes'] },
  PAPER_PENDING: { status: 409, message: '有纸质表录入尚未经两人一致确认，请先处理', in: ['ballots', 'rectification', 'themes'] },
  REAL_ROUND: { status: 409, message: '正式测评的选票不能清除', in: ['ballots', 'rectification', 'themes'] },
  REAL_ROUND_EXISTS: { status: 409, message: '该会议已进行过正式测评，不能再新建测评轮次', in: ['ballots', 'rectification', 'themes'] },
  RESULTS_HIDDEN: { status: 409, message: '测评结果尚未发布', in: ['ballots', 'rectification', 'themes'] },
  ROOM_CODE_WRONG: { status: 400, message: '会场码不正确，请输入会场大屏上显示的6位会场码', in: ['ballots'] },
  ROUND_ENDED: { status: 409, message: '测评已结束，无需更换会场码', in: ['ballots', 'rectification', 'results', 'themes'] },
  ROUND_IN_PROGRESS: { status: 409, message: '该会议已有未结束的测评轮次，请先结束或清除', in: ['ballots', 'rectification', 'themes'] },
  ROUND_VOID: { status: 409, message: '计票数超过投票码发放数与纸质表收回数之和，本轮测评无效，结果不能发布', in: ['ballots', 'rectification', 'themes'] },
  SAME_CLERK: { status: 409, message: '第二次录入须由另一名工作人员完成', in: ['ballots', 'rectification', 'results', 'themes'] },
  SIGNED_IN_CANNOT_VOTE: { status: 403, message: '已登录管理账号的浏览器不能投票，请用本人手机扫描投票条上的二维码', in: ['ballots'] },
  UNKNOWN_REPORTER: { status: 400, message: '所评价的述职对象不在本次述职评议会名单中', in: ['ballots', 'rectification', 'results', 'themes'] },
  VOTE_NOT_SAVED: { status: 503, message: '服务器暂时无法保存选票，您的选票尚未计入，请稍后重新提交', in: ['ballots', 'rectification', 'themes'] },
  VOTING_CLOSED: { status: 409, message: '本轮测评已结束，不能再投票', in: ['ballots', 'rectification', 'themes'] },
  VOTING_NOT_OPEN: { status: 409, message: '测评尚未开始，请等待主持人宣布开始投票', in: ['ballots'] },

  // modules/campaigns
  CAMPAIGN_EXISTS: { status: 409, message: '该党组织本年度已有述职评议考核，每个党组织每年只能有一个', in: ['campaigns'] },
  CAMPAIGN_NOT_DRAFT: { status: 409, message: '述职评议考核已发布，方案和范围不能再修改；发布后可增减述职对象并说明理由', in: ['campaigns'] },
  CAMPAIGN_NOT_PUBLISHED: { status: 409, message: '只有已发布、尚未结束的述职评议考核才能调整述职对象', in: ['campaigns'] },
  FILING_LOCKED: { status: 409, message: '方案已报上级备案，正在等待审核，暂不能修改', in: ['campaigns'] },
  FILING_NOT_ACKNOWLEDGED: { status: 409, message: '本级方案须先报上级备案并经上级确认后才能发布', in: ['campaigns'] },
  FILING_NOT_REQUIRED: { status: 400, message: '本方案为最上一级，无需向上级报备', in: ['campaigns'] },
  FILING_STATE: { status: 409, message: '方案已发布，无需再报备', in: ['campaigns'] },
  INVALID_REPORTER: { status: 400, message: '组织单位本身及其上级不能作为述职对象', in: ['campaigns'] },
  PHASE_HAS_OPEN_WORK: { status: 409, message: '该阶段还有未完成的工作，请确认后再关闭', in: ['campaigns'] },
  REPORTER_EXISTS: { status: 409, message: '该党组织已在本次述职名单中，不能重复添加', in: ['campaigns'] },
  REPORTER_IN_SUBCAMPAIGN: { status: 409, message: '该党组织已在分级开展的下级述职评议考核范围内，不能再向本级述职', in: ['campaigns'] },
  REPORTER_REMOVED: { status: 409, message: '该述职对象已移出名单', in: ['campaigns', 'reports'] },
  ROUTE_OUTSIDE_SCOPE: { status: 400, message: '述职路由指定的听取组织不在您的管理范围内', in: ['campaigns'] },
  SELF_COMMITTEE_DISABLED: { status: 400, message: '本次方案未要求向本级党委述职', in: ['campaigns'] },
  SELF_COMMITTEE_FILED: { status: 409, message: '向本级党委述职情况已报备，不能再修改', in: ['campaigns'] },
  SELF_COMMITTEE_MISSING: { status: 409, message: '请先填写向本级党委述职的日期和评议测评结果，再报备', in: ['campaigns'] },
  SUBCAMPAIGN_EXISTS: { status: 409, message: '下级党组织本年度已有述职评议考核，不能再为其生成分级开展的方案', in: ['campaigns'] },

  // modules/evaluation
  BALLOT_WEIGHTS_ZERO: { status: 400, message: '考核方案中参评人员各类别权重均为0，无法计算测评得分', in: ['evaluation'] },
  COMPONENTS_MISSING: { status: 400, message: '部分述职对象的各项得分均缺失，无法计算综合得分', in: ['evaluation'] },
  EVALUATION_LOCKED: { status: 409, message: '综合评价已由党委锁定，不能再修改', in: ['evaluation'] },
  EVALUATION_NOT_LOCKED: { status: 409, message: '综合评价结果尚未锁定，不能导出平行考核结果', in: ['evaluation', 'results'] },
  INVALID_FILE: { status: 400, message: '无法读取文件：请上传用导入模板填写的 .xlsx 文件', in: ['evaluation', 'organizations', 'reports', 'results', 'surveys'] },
  LOCK_BLOCKED: { status: 409, message: '不能锁定，请先处理未完成的事项', in: ['evaluation'] },
  NOT_COMPUTED: { status: 409, message: '尚未计算综合评价，请先点击“重新计算”', in: ['evaluation'] },
  REPORTER_NOT_IN_CAMPAIGN: { status: 404, message: '该述职对象不属于本次述职评议考核', in: ['evaluation', 'results'] },
  UNKNOWN_CATEGORY: { status: 400, message: '测评中的评议人类别未在考核方案中设置权重，无法计算测评得分', in: ['evaluation'] },

  // modules/meetings
  AGENDA_ITEM_HAS_COMMENTS: { status: 409, message: '已有点评记录的述职对象不能移出议程', in: ['meetings'] },
  AGENDA_ITEM_SPEAKING: { status: 409, message: '正在发言的述职对象不能移出议程', in: ['meetings'] },
  ATTENDANCE_FROM_LIST: { status: 400, message: '该类别已按参会人员名单统计，请修改名单', in: ['meetings'] },
  BAD_FILE: { status: 400, message: '文件不是有效的 .xlsx 表格', in: ['meetings', 'results'] },
  BAD_HEADER: { status: 400, message: '表头与导入模板不一致，请下载模板', in: ['meetings', 'results'] },
  CAMPAIGN_CLOSED: { status: 409, message: '述职评议考核已结束，不能再安排述职评议会', in: ['meetings'] },
  EMPTY_FILE: { status: 400, message: '表格中没有数据行', in: ['meetings', 'results', 'surveys'] },
  FLOW_END: { status: 409, message: '议程已全部进行完毕', in: ['meetings'] },
  IMPORT_ROWS: { status: 400, message: '有行不符合要求，未导入任何数据', in: ['meetings', 'results'] },
  MEETING_CLOSED: { status: 409, message: '会议已结束，记录不能再修改', in: ['meetings'] },
  MEETING_HAS_BALLOTS: { status: 409, message: '会议已设置测评，不能删除', in: ['meetings'] },
  MEETING_HAS_RECORDS: { status: 409, message: '会议已有点评记录，不能删除', in: ['meetings'] },
  MEETING_STARTED: { status: 409, message: '会议已开始或已结束，不能删除', in: ['meetings'] },
  NO_NEXT_SPEAKER: { status: 409, message: '已是最后一位发言人', in: ['meetings'] },
  TOO_MANY_ROWS: { status: 400, message: '导入行数超过上限', in: ['meetings', 'organizations', 'results', 'surveys'] },
  WRITTEN_ONLY: { status: 409, message: '书面述职不安排现场发言', in: ['meetings'] },

  // modules/organizations
  DUPLICATE_CODE: { status: 409, message: '组织编码已存在', in: ['organizations'] },
  IMPORT_INVALID: { status: 400, message: '导入文件有错误，未导入任何数据，请修改后重新上传', in: ['organizations', 'surveys'] },
  INTERRUPTED: { status: 500, message: '导入任务已中断（服务可能重启），未导入任何数据，请重新上传', in: ['organizations'] },
  MOVE_CYCLE: { status: 400, message: '不能把组织移动到它自己或其下级组织之下', in: ['organizations'] },
  MOVE_SCOPE_ROOT: { status: 400, message: '不能移动本账号管理范围的顶级组织', in: ['organizations'] },
  TEMPLATE_MISMATCH: { status: 400, message: '表头与导入模板不一致', in: ['organizations'] },
  TENURE_ORDER: { status: 400, message: '新任书记的任职时间须晚于现任书记的任职时间', in: ['organizations'] },

  // modules/oversight
  GROUP_LEADER_EXISTS: { status: 409, message: '该组已有组长，请先撤回原组长的选派', in: ['oversight'] },
  ORG_OUT_OF_SCOPE: { status: 400, message: '走访对象须是本次述职评议考核范围内的下级党组织', in: ['oversight'] },

  // modules/rectification
  // themes (群众意见归纳, decision 026)
  ALREADY_DRAFT: { status: 409, message: '该主题已生成整改事项草稿', in: ['themes'] },
  DRAFT_DECIDED: { status: 409, message: '该草稿已处理', in: ['themes'] },
  THEMES_TOO_LARGE: { status: 413, message: '意见数量过多，归纳未能在规定时间内完成，请按测评轮次分别归纳', in: ['themes'] },
  NOT_LOCKED: { status: 403, message: '综合评价等次经党委研究确定后，方可查看本组织的群众意见归纳', in: ['themes'] },
  NOT_RELEASED: { status: 409, message: '该测评轮次尚未公布结果，不能归纳意见', in: ['themes'] },
  NO_THEMES: { status: 404, message: '尚未进行意见归纳，请组织部门先生成', in: ['themes'] },
  ALREADY_ITEM: { status: 409, message: '该问题已转为整改事项', in: ['rectification'] },
  COMMITMENT_EXISTS: { status: 409, message: '本组织已有尚未公开的承诺，请在原稿上修改', in: ['rectification'] },
  COMMITMENT_FILED: { status: 409, message: '承诺已报组织部门，不能再修改', in: ['rectification'] },
  ITEM_CLOSED: { status: 409, message: '该整改事项已销号，不能再增加子项', in: ['rectification'] },
  ITEM_IN_USE: { status: 409, message: '只能删除尚未开始、没有进展记录和子项的整改事项', in: ['rectification'] },
  NO_PREVIOUS_CAMPAIGN: { status: 409, message: '没有同一组织方的上年度述职评议考核，无可结转的整改事项', in: ['rectification'] },
  NOTHING_TO_PUBLISH: { status: 409, message: '没有组织部门已确认、待公开的承诺', in: ['rectification'] },
  SUB_ITEMS_OPEN: { status: 409, message: '还有子项未销号，不能提交验收', in: ['rectification'] },
  TOO_MANY_FILES: { status: 409, message: '佐证材料数量已达上限', in: ['rectification'] },

  // modules/reports
  ATTACHMENTS_NOT_ALLOWED: { status: 409, message: '本次述职评议考核不接收附件', in: ['reports'] },
  CAMPAIGN_NOT_OPEN: { status: 409, message: '该述职评议考核未发布或已结束，不能编写述职报告', in: ['reports'] },
  CHECKS_BLOCKING: { status: 409, message: '未通过提交前检查，不能提交', in: ['reports'] },
  DOCX_TOO_COMPLEX: { status: 413, message: 'Word文件内容过多或结构过于复杂，无法在规定时间内读取，未导入。请删减后重新上传', in: ['reports'] },
  EMPTY_REPORT: { status: 400, message: '述职报告内容为空，不能提交', in: ['reports'] },
  FILE_MISSING: { status: 500, message: '附件文件缺失：附件目录中找不到该文件，请联系系统管理员检查 FILES_DIR 设置或从备份恢复', in: ['reports'] },
  LATE_SUBMISSION: { status: 409, message: '已超过报送截止日期，本次述职评议考核不允许逾期报送，请联系审核人', in: ['reports'] },
  REPORT_LOCKED: { status: 409, message: '述职报告当前状态不能修改', in: ['reports'] },
  REPORT_TOO_LARGE: { status: 422, message: '述职报告超过可生成Word文件的上限，请删减后再下载', in: ['reports'] },
  REPORT_TOO_LONG: { status: 400, message: '述职报告过长，未导入。请删减后重新上传', in: ['reports'] },
  REWRITE_UNCHANGED: { status: 409, message: '审核人已责令重写，本稿与被责令重写的版本过于相似，请重新撰写后再提交', in: ['reports'] },
  TOO_MANY_ATTACHMENTS: { status: 409, message: '附件数量已达上限', in: ['reports'] },

  // modules/results
  FOLLOW_UP_DONE: { status: 409, message: '该事项已办结，不能再修改记录', in: ['results'] },
  KEY_ALREADY_LISTED: { status: 409, message: '该党组织已在重点管理名单中', in: ['results'] },
  KEY_DECIDED_ABOVE: { status: 409, message: '重点管理名单由上级在各下级述职评议考核结果中统一排序确定', in: ['results'] },
  KEY_STATE: { status: 409, message: '重点管理对象当前状态不能进行该操作', in: ['results'] },
  NO_SUB_ROUNDS: { status: 409, message: '本级没有下级述职评议考核，无法在各下级中统一确定重点管理名单', in: ['results'] },
  NO_UPPER_LEVEL: { status: 400, message: '本级的上级党组织不在本系统中，请填写接收总结报告的上级党组织（如“某某市委组织部”）', in: ['results'] },
  NOT_A_REPORTER: { status: 400, message: '该党组织不是本次述职评议考核的述职对象', in: ['results'] },
  SUB_ROUNDS_NOT_LOCKED: { status: 409, message: '部分下级述职评议考核的综合评价尚未锁定，不能统一排序', in: ['results'] },
  SUMMARY_INCOMPLETE: { status: 400, message: '请先填写总结报告的必填部分', in: ['results'] },
  SUMMARY_NOT_SUBMITTED: { status: 409, message: '总结报告尚未上报，不能接收', in: ['results'] },
  SUMMARY_SUBMITTED: { status: 409, message: '总结报告已上报', in: ['results'] },

  // modules/surveys
  INVALID_HEADER: { status: 400, message: '表头与导入模板不一致，请使用导入模板', in: ['surveys'] },
  NO_ITEMS: { status: 409, message: '问卷还没有题目，不能开始调查', in: ['surveys'] },
  NO_RESPONDENTS: { status: 409, message: '还没有调查对象名单，请先导入或添加', in: ['surveys'] },
  NOT_SAMPLED: { status: 409, message: '尚未抽取调查对象，不能开始调查', in: ['surveys'] },
  SAMPLE_FULL: { status: 409, message: '抽样对象已全部答卷或录入纸质问卷，不能再发放链接', in: ['surveys'] },
  SIGNED_IN_CANNOT_ANSWER: { status: 403, message: '已登录管理账号的浏览器不能填写问卷，请用本人手机打开调查链接', in: ['surveys'] },
  SURVEY_CLOSED: { status: 409, message: '调查已结束，不能再提交问卷', in: ['surveys'] },
  SURVEY_NOT_OPEN: { status: 409, message: '调查尚未开始，请在通知的时间内填写', in: ['surveys'] },
  SURVEY_STATE: { status: 409, message: '满意度调查当前状态不能进行该操作', in: ['surveys'] },
  TOKEN_MISTYPED: { status: 400, message: '调查码有误，请核对调查卡上的调查码，或重新扫描二维码', in: ['surveys'] },
  TOKEN_UNKNOWN: { status: 404, message: '调查链接无效，请核对链接或调查码', in: ['surveys'] },
  TOKEN_USED: { status: 409, message: '该调查链接已提交过问卷，每个链接只能提交一次', in: ['surveys'] },
  TOKEN_VOIDED: { status: 410, message: '该调查链接已作废，请向发放人员索取新的链接', in: ['surveys'] },
  TOO_MANY_TOKENS: { status: 400, message: '发放的链接数超过抽样人数', in: ['surveys'] },
  UNKNOWN_UNIT: { status: 400, message: '该单位不是本次考核的述职对象', in: ['surveys'] },
} as const satisfies Record<string, ErrorDef>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);

/** The codes a route of this tag can answer, in the registry's order. */
export function errorCodesFor(tag: ModuleTag): ErrorCode[] {
  return (Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => {
    const where: ErrorDef['in'] = ERROR_CODES[code].in;
    return where === 'all' || where.includes(tag);
  });
}
