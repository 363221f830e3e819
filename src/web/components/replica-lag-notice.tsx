import { Alert } from 'antd';
import { useLocation } from 'react-router-dom';
import { lagInWords, useReplicaLag } from '../lib/replica-lag';

/** Above the page: its figures were read from a read-only replica that was behind the primary by this much. */
export function ReplicaLagNotice() {
  const lag = useReplicaLag(useLocation().pathname);
  if (!lag) return null;
  return (
    <Alert
      type={lag.lagMs >= 60_000 ? 'warning' : 'info'}
      showIcon
      banner
      data-testid="replica-lag"
      message={`本页数据读自只读副本，比主库滞后${lagInWords(lag.lagMs)}；刚提交的操作可能稍后才显示。`}
    />
  );
}
