import { eq } from 'drizzle-orm';
import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { CampaignSettings } from '../../src/domain/campaign-settings';
import type { Db } from '../../src/server/db/connect';
import { campaigns } from '../../src/server/db/schema';
import type { Session } from '../factories';

/** Edits a stored campaign's settings in place (tests only: the campaigns module owns real edits). */
export async function patchSettings(db: Db, campaignId: number, fn: (s: CampaignSettings) => void) {
  const [c] = await db.select({ settings: campaigns.settings }).from(campaigns).where(eq(campaigns.id, campaignId));
  const s = structuredClone(c.settings) as CampaignSettings;
  fn(s);
  await db.update(campaigns).set({ settings: s }).where(eq(campaigns.id, campaignId));
}

/** A report that passes the township template's (003) blocking checks: all four parts, achievements under 1/3. */
export function goodSections(variant = 0) {
  const v = (a: string, b: string) => (variant === 0 ? a : b);
  return [
    {
      key: 'achievements',
      title: '工作成效',
      text: v(
        '全年召开支委会12次，专题研究党建工作4次，本人讲党课3次。发展党员2名，其中35岁以下1名。投入资金18万元改造党群服务中心，开设老年食堂，每天服务40名老人。',
        '今年我们把精力放在村集体经济上，引进蘑菇种植项目1个，带动36户增收，村集体收入达到21万元。组建志愿服务队2支，开展环境整治活动15次。',
      ),
    },
    {
      key: 'problems',
      title: '突出问题',
      text: v(
        '一是理论学习不够深入，支部集中学习多以读文件为主，全年专题研讨只有2次，学用结合有差距。二是党员队伍结构老化，60岁以上党员21名，占比达到58%，年轻党员外出务工多，参加组织生活难。三是“三会一课”质量不高，部分党员大会以传达文件为主，讨论交流少，党员主体作用发挥不充分。四是村集体经济基础薄弱，经营性收入主要依靠土地租金，缺少稳定增收项目，带动群众增收能力不强。五是党建与乡村振兴结合不紧，抓产业发展办法不多，对返乡创业青年的引导服务不够主动。',
        '第一，支部班子对新任务研究不透，村务监督委员会作用发挥有限，财务公开存在滞后，群众对部分项目资金使用有疑问。第二，流动党员管理松散，外出的9名党员中有4名全年未参加组织生活，联系方式更新不及时。第三，发展党员工作断档，近三年只发展1名，后备力量不足，村里35岁以下的能人很少被列为培养对象。第四，服务群众的渠道单一，主要依靠村干部上门，线上平台没有用起来，群众反映的问题办结时间偏长。第五，人居环境整治反复，个别组垃圾清运不及时，长效机制没有真正建立起来。',
      ),
    },
    {
      key: 'causes',
      title: '问题根源',
      text: v(
        '根源在于本人抓党建的责任意识还不够强，重业务轻党建的思想仍然存在，对党建工作研究部署多、督促检查少。对年轻人才的发现培养缺乏长远规划，制度执行不够严格，考核激励作用发挥不够。对上年度点评指出的问题，整改跟踪不够及时，有的问题只改了表面。',
        '深层原因是我对“第一责任人”职责理解不深，把主要精力放在项目争取上，对组织建设盯得不紧。支部议事规则执行不严，监督制度流于形式，对流动党员的教育管理办法陈旧，没有因人施策。对群众的诉求回应不够及时，缺少闭环办理的制度安排。',
      ),
    },
    {
      key: 'measures',
      title: '破解措施',
      text: v(
        '一是建立月学习制度，每月至少开展1次专题研讨，由支委轮流领学。二是实施“头雁”培养计划，明年发展35岁以下党员2名，储备后备干部3名。三是规范“三会一课”，每次党员大会确定1个议题充分讨论。四是发展食用菌种植，争取项目资金30万元，力争集体经营性收入增长20%。五是每半年对照问题清单开展1次自查，整改情况在党员大会上通报。六是建立返乡青年联系台账，每季度走访1次。',
        '下一步，我将每季度听取1次村务监督委员会汇报，财务每月公开。建立流动党员微信群，每月推送学习内容，年底前实现联系全覆盖。制定三年发展党员规划，每年确定培养对象2名。开通线上议事平台，群众诉求在5个工作日内答复。把垃圾清运纳入村规民约，每月评比1次。对照上年度问题清单逐项销号，每半年向党员大会报告1次整改进度，接受党员群众监督评议。',
      ),
    },
  ];
}

/** A Word file like a secretary writes: a title, Heading 1 parts, a table inside the first part. */
export async function makeReportDocx(o: { extraHeading?: string; sections?: { title: string; text: string }[] } = {}) {
  const parts = o.sections ?? goodSections().map((s, i) => ({ title: `${'一二三四'[i]}、${s.title}`, text: s.text }));
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: '前进村党支部书记抓基层党建工作述职报告', bold: true })],
    }),
    new Paragraph('按照镇党委安排，现将本人抓基层党建工作情况报告如下。'),
  ];
  parts.forEach((p, i) => {
    children.push(new Paragraph({ text: p.title, heading: HeadingLevel.HEADING_1 }));
    children.push(new Paragraph(p.text));
    if (i === 0) {
      const cell = (t: string) =>
        new TableCell({ children: [new Paragraph(t)], width: { size: 3000, type: WidthType.DXA } });
      children.push(
        new Table({
          rows: [
            new TableRow({ children: [cell('指标'), cell('完成数')] }),
            new TableRow({ children: [cell('主题党日'), cell('12次')] }),
          ],
        }),
      );
    }
  });
  if (o.extraHeading) {
    children.push(new Paragraph({ text: o.extraHeading, heading: HeadingLevel.HEADING_1 }));
    children.push(new Paragraph('这是一段补充说明。'));
  }
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

export function upload(
  session: Session,
  url: string,
  file: Buffer,
  filename: string,
  type = 'application/octet-stream',
) {
  const boundary = `----rep${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return session.request({
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}
