import { AppError } from '../../../domain/errors';
import type { Campaign } from './repo';

/** Settings and scope change only in a draft whose plan is not with the level above (R-CAMP-3). */
export function assertEditable(c: Campaign) {
  if (c.state !== 'draft') {
    throw new AppError(
      'CAMPAIGN_NOT_DRAFT',
      '述职评议考核已发布，方案和范围不能再修改；发布后可增减述职对象并说明理由',
      { field: 'state' },
    );
  }
  if (c.filingState === 'filed') {
    throw new AppError('FILING_LOCKED', '方案已报上级备案，正在等待审核，暂不能修改', { field: 'filingState' });
  }
  if (c.filingState === 'acknowledged') {
    throw new AppError('FILING_LOCKED', '方案已经上级确认备案，不能再修改', { field: 'filingState' });
  }
}

/** "Today" for phases and gaps is the Beijing calendar day, not the UTC one (which lags until 08:00). */
export { shanghaiDate as today } from '../../../domain/calendar';
