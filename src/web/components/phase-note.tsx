import { Tag, Tooltip } from 'antd';
import type { StepPhase } from '../api/campaigns';

const COLORS = { not_started: 'default', open: 'green', ended: 'orange', closed: 'blue' } as const;

/**
 * On a task list, the phase the task's next step belongs to (R-CAMP-8): "等待「述职评议会」阶段开始（2026年1月22日）"
 * or "「述职报告」阶段进行中，2026年1月14日截止". Nothing when the task has no step left.
 */
export function PhaseNote({ phase }: { phase: StepPhase | null | undefined }) {
  if (!phase) return null;
  return (
    <Tooltip title={`「${phase.label}」阶段：${phase.start} 至 ${phase.end}`}>
      <Tag color={phase.allowed ? 'green' : COLORS[phase.status]} data-testid="phase-note">
        {phase.note}
      </Tag>
    </Tooltip>
  );
}
