import { Alert } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { metaApi } from '../../api/meta';
import { phoneUnreachableReason } from '../../../domain/lan-address';
import { useMeta } from '../../lib/meta';

/**
 * The address phones open to vote, as the QR code and the hint on the console show it: the server's PUBLIC_URL, else
 * the address this page was opened at. null until the server has answered (so a configured address never flashes
 * the wrong QR code first).
 */
export function useVoteAddress(): { url: string | null; warning: string | null } {
  const { vote } = useMeta();
  if (!vote) return { url: null, warning: null };
  if (vote.publicUrl) return { url: `${vote.publicUrl}/vote/`, warning: vote.warning };
  const reason = phoneUnreachableReason(window.location.hostname);
  return {
    url: `${window.location.origin}/vote/`,
    warning: reason
      ? `本页通过 ${window.location.origin} 打开，二维码用的也是这个地址：${reason}。请在会场电脑上设置 PUBLIC_URL（本机在会场网络中的地址，如 http://192.168.1.10:3000）并以 HOST=0.0.0.0 重新启动，见 README“会场设置”`
      : null,
  };
}

export function VoteAddressWarning({ warning }: { warning: string | null }) {
  if (!warning) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="vote-address-warning"
      message="手机可能打不开投票页"
      description={warning}
    />
  );
}

/**
 * The database's redundancy as /api/health reports it (decision 027): while the synchronous standby is away, voting
 * pauses (commits wait for it) or goes on with one copy, and the chair should know which. Polled every 10 s.
 */
export function StandbyWarning() {
  const health = useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => metaApi.health(signal),
    refetchInterval: 10_000,
    // The console is a projector: it keeps checking whether or not its tab has the focus.
    refetchIntervalInBackground: true,
  });
  const h = health.data;
  const message = health.isError
    ? '无法连接服务器或数据库，正在重试'
    : h?.status === 'degraded'
      ? (h.standby?.message ?? '数据库冗余不完整')
      : null;
  if (!message) return null;
  return <Alert type="error" showIcon data-testid="standby-warning" message="数据库备库异常" description={message} />;
}
