// The CLI's output: due times in the jurisdiction's zone (status, inspection show), tables whose borders line up
// around Chinese text, and a reader closing the pipe early (`jianguan status … | head`) ending the command quietly
// instead of crashing with an unhandled EPIPE.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatInspectionStatus } from '../../cli/inspection';
import { formatCaseList } from '../../cli/case/list';
import { formatTable, localTime } from '../../cli/output';
import { formatCampaignStatus, type InspectionRow } from '../../cli/status';
import type { InspectionStatus } from '../../workflows/inspection/api';
import { borderColumns, cells } from '../helpers/table';

const TZ = 'Asia/Shanghai';

describe('times in the jurisdiction zone', () => {
  it('formats an instant as local date and time, and nothing as "-"', () => {
    expect(localTime(new Date('2026-12-23T15:59:00.000Z'), TZ)).toBe('2026-12-23 23:59');
    expect(localTime('2027-07-31T15:59:00.000Z', TZ)).toBe('2027-07-31 23:59');
    expect(localTime('2027-07-31T15:59:00.000Z', 'Asia/Urumqi')).toBe('2027-07-31 21:59');
    expect(localTime(undefined, TZ)).toBe('-');
    expect(localTime(null, TZ)).toBe('-');
  });

  it('status: counts by stage, then each inspection with its local due time', () => {
    const rows: InspectionRow[] = [
      {
        workflowId: 'inspection:c:H002',
        institutionId: 'H002',
        stage: 'overdue',
        overdue: true,
        dueAt: new Date('2026-12-23T15:59:00.000Z'),
      },
      { workflowId: 'inspection:c:H001', institutionId: 'H001', stage: 'assigned', overdue: false },
    ];
    const lines = formatCampaignStatus('349901-demo-2026', rows, TZ);
    expect(lines[0]).toBe('campaign 349901-demo-2026: 2 inspections, 1 overdue (times Asia/Shanghai)');
    expect(lines).toContain('  逾期未报结果 (overdue): 1');
    expect(cells(lines.at(-4)!)).toEqual(['', 'institution', 'stage', '阶段', 'due']);
    expect(cells(lines.at(-2)!)).toEqual(['!', 'H002', 'overdue', '逾期未报结果', '2026-12-23 23:59']);
    expect(cells(lines.at(-1)!)).toEqual(['', 'H001', 'assigned', '待检查', '-']);
    expect(lines.join('\n')).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expect(formatCampaignStatus('x', [], TZ)).toEqual(['no inspections found for campaign x']);
  });

  it('inspection show: deadlines in local time', () => {
    const status = {
      inspectionId: 'inspection:c:H001',
      institutionId: 'H001',
      stage: 'case-opened',
      stageLabel: '已立案处理',
      team: ['insp-01', 'insp-02'],
      dueAt: '2026-12-23T15:59:00.000Z',
      overdue: false,
      remindersSent: 2,
      caseId: 'case:349901:c.H001',
    } satisfies InspectionStatus;
    const text = formatInspectionStatus(status, TZ);
    expect(text).toContain('due          2026-12-23 23:59 (Asia/Shanghai)');
    expect(text).toContain('case         case:349901:c.H001');
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });
});

describe('tables with Chinese text', () => {
  /** Every line's borders at the same display columns, one per column gap. */
  function expectAligned(lines: readonly string[], columns: number): void {
    const expected = borderColumns(lines[0]!);
    expect(expected).toHaveLength(columns - 1);
    for (const line of lines) expect(borderColumns(line), line).toEqual(expected);
  }

  it('lines up every column whatever mix of Chinese, full-width and ASCII its cells hold', () => {
    const lines = formatTable(
      [{ header: 'id' }, { header: '名称' }, { header: 'kind' }, { header: '金额（元）', align: 'right' }, { header: 'note' }],
      [
        ['H001', '清溪区人民医院', 'hospital', '1,234.50', '串换药品'],
        ['P0001', 'Qingxi Pharmacy', '零售药店', '5.00', 'ASCII only'],
        ['H002', '清溪济民中西医结合医院（分院）', 'hospital', '0.00', 'tab\there'],
      ],
    );
    expect(lines).toHaveLength(5);
    expectAligned(lines, 5);
  });

  it('lines up `status` and `case list`, whose stage labels are Chinese', () => {
    const inspections: InspectionRow[] = [
      {
        workflowId: 'inspection:c:H002',
        institutionId: 'H002',
        stage: 'overdue',
        overdue: true,
        dueAt: new Date('2026-12-23T15:59:00.000Z'),
      },
      { workflowId: 'inspection:c:H001', institutionId: 'H001', stage: 'assigned', overdue: false },
      { workflowId: 'inspection:c:P001', institutionId: 'P001', stage: 'rectifying', overdue: false },
    ];
    expectAligned(formatCampaignStatus('c', inspections, TZ).slice(-5), 5);
    const cases = [
      {
        caseNo: 'c.H001',
        institutionId: 'H001',
        stage: 'rectification-overdue',
        overdue: true,
        open: true,
        dueAt: '2027-07-01T15:59:00.000Z',
        lossFen: 5,
        fineFen: 0,
        paidFen: 0,
      },
      {
        caseNo: 'c.H002',
        institutionId: 'H002',
        stage: 'interview',
        overdue: false,
        open: true,
        dueAt: null,
        lossFen: 123450,
        fineFen: 185175,
        paidFen: 100000,
      },
    ];
    expectAligned(formatCaseList(cases, TZ).split('\n'), 8);
  });
});

/** Runs the fixture with its stdout read by nobody (closed at once), and returns how it ended. */
function runWithClosedStdout(env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', path.join(__dirname, '../fixtures/epipe-writer.ts')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a closed stdout (| head)', () => {
  it('ends the command quietly and successfully', async () => {
    expect(await runWithClosedStdout()).toEqual({ code: 0, stderr: '' });
  }, 30_000);

  it('would crash with an unhandled EPIPE without the handler', async () => {
    const { code, stderr } = await runWithClosedStdout({ EPIPE_UNHANDLED: '1' });
    expect(code).not.toBe(0);
    expect(stderr).toContain('EPIPE');
  }, 30_000);
});
