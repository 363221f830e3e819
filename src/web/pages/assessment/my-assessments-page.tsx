import { PhaseNote } from '../../components/phase-note';
import { RightOutlined } from '@ant-design/icons';
import { Card, Empty, Progress, Result, Skeleton, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { assessmentApi, type MyAssignments, STATUS_LABELS } from '../../api/assessment';
import { isApiError } from '../../api/client';
import { SyncIndicator } from './scoring-sheet';
import { useScoreQueue } from './use-score-queue';

/** /assess — the assessor's start page on the phone: the reporters of each team, with progress. */
export default function MyAssessmentsPage() {
  const navigate = useNavigate();
  const [data, setData] = useState<MyAssignments | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setData(await assessmentApi.my());
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  const { pending, online, flush } = useScoreQueue(load);
  useEffect(() => {
    document.title = '实地考核 · 述评考';
    void load();
  }, [load]);

  if (error && !data)
    return <Result status="warning" title="暂时无法加载" subTitle={isApiError(error) ? error.message : '加载失败'} />;
  if (!data) return <Skeleton active />;

  return (
    <div style={{ maxWidth: 720, margin: '0 auto' }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap', marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0, flex: '1 1 auto' }}>
          实地考核
        </Typography.Title>
        <SyncIndicator pending={pending.length} online={online} onRetry={() => void flush()} />
      </div>
      {!data.teams.length && <Empty description="暂未分配到考评组" />}
      {data.teams.map((team) => (
        <div key={team.id} style={{ marginBottom: 16 }}>
          <Typography.Text type="secondary">{team.campaignTitle}</Typography.Text>
          <Typography.Title level={5} style={{ margin: '4px 0 8px' }}>
            {team.name}
            {team.leaderName ? `（组长：${team.leaderName}）` : ''}
          </Typography.Title>
          <div style={{ marginBottom: 8 }}>
            <PhaseNote phase={team.phase} />
          </div>
          {team.reporters.map((r) => {
            const waiting = pending.filter((p) => p.reporterId === r.reporterId).length;
            const status = STATUS_LABELS[r.status];
            return (
              <Card
                key={r.reporterId}
                size="small"
                hoverable
                style={{ marginBottom: 8 }}
                data-testid={`reporter-${r.reporterId}`}
                onClick={() => navigate(`/assess/${r.reporterId}`)}
              >
                <div style={{ display: 'flex', alignItems: 'center', gap: 8, minHeight: 48 }}>
                  <div style={{ flex: 1, minWidth: 0 }}>
                    <Typography.Text strong>{r.orgName}</Typography.Text>
                    <div>
                      <Tag color={status.color}>{status.label}</Tag>
                      {waiting > 0 && <Tag color="warning">待同步 {waiting}</Tag>}
                      <Typography.Text type="secondary">{r.secretaryName ?? ''}</Typography.Text>
                    </div>
                    <Progress
                      percent={r.items ? Math.round((100 * r.scored) / r.items) : 0}
                      size="small"
                      format={() => `${r.scored}/${r.items}`}
                    />
                  </div>
                  <RightOutlined />
                </div>
              </Card>
            );
          })}
        </div>
      ))}
    </div>
  );
}
