// The recorded flying draw (domain/flying-draw.ts flyingDrawRecord): drawn on the eligible pool (not inspected this year,
// or with a clue / data anomaly), the excluded recorded with the inspections that exclude them, counts clamped; and
// `jianguan draw verify --draw` re-running an exported record: MATCH, or MISMATCH naming what differs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { flyingDrawRecord, isEligible, publishedDrawText, type FlyingDrawRequest } from '../../domain/flying-draw';
import { drawVerifyRecorded, parseDrawFile, registerDrawCommands } from '../../cli/draw';
import { UsageError } from '../../cli/context';
import { clampDrawCounts, DEFAULT_RISK_WEIGHTS, selectFlyingTargets } from '../../domain/flying';
import type { FlyingDrawRecord, FlyingPoolRow } from '../../records/types';

const row = (
  id: string,
  over: { clues?: number; dataAnomalies?: number; onsite?: string[]; references?: string[] } = {},
): FlyingPoolRow => ({
  id,
  name: `机构${id}`,
  kind: id.startsWith('H') ? 'hospital' : 'pharmacy',
  responsibleUnitId: null,
  contacts: [],
  risk: { clues: over.clues ?? 0, dataAnomalies: over.dataAnomalies ?? 0, lastYearFindings: 0, creditGrade: null },
  onsite: over.onsite ?? [],
  references: over.references ?? [],
});

const POOL: FlyingPoolRow[] = [
  row('H001', { onsite: ['inspection:349901-coverage-2027:H001'] }),
  row('H002', { onsite: ['inspection:349901-coverage-2027:H002'], clues: 1, references: ['JB-2027-0001'] }),
  row('H003'),
  row('P001', { onsite: ['inspection:349901-coverage-2027:P001'], dataAnomalies: 2, references: ['YD-0007', 'YD-0009'] }),
  row('P002', { onsite: ['inspection:349901-coverage-2027:P002'] }),
  row('P003'),
];

const request = (over: Partial<FlyingDrawRequest> = {}): FlyingDrawRequest => ({
  workflowId: 'flying:349901:2027',
  jurisdiction: '349901',
  year: 2027,
  campaignId: '349901-flying-2027',
  seed: 'seed-2027',
  randomCount: 2,
  riskCount: 1,
  weights: DEFAULT_RISK_WEIGHTS,
  at: '2027-07-01T01:00:00.000Z',
  ...over,
});

const dir = mkdtempSync(path.join(tmpdir(), 'jianguan-draw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const writeDraw = (name: string, draw: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(draw, null, 2));
  return file;
};

describe('the recorded flying draw', () => {
  it('draws on the eligible pool and records the excluded with the inspections that exclude them', () => {
    expect(POOL.filter(isEligible).map((r) => r.id)).toEqual(['H002', 'H003', 'P001', 'P003']);
    const draw = flyingDrawRecord(request(), POOL);
    expect(draw.pool.map((c) => c.id)).toEqual(['H002', 'H003', 'P001', 'P003']);
    expect(draw.excluded).toEqual([
      { id: 'H001', name: '机构H001', inspections: ['inspection:349901-coverage-2027:H001'] },
      { id: 'P002', name: '机构P002', inspections: ['inspection:349901-coverage-2027:P002'] },
    ]);
    expect(draw.pool.find((c) => c.id === 'P001')).toMatchObject({ dataAnomalies: 2, references: ['YD-0007', 'YD-0009'] });
    const again = selectFlyingTargets({
      seed: 'seed-2027',
      pool: draw.pool.map(({ id, kind, clues, dataAnomalies, lastYearFindings, creditGrade }) => ({
        id,
        kind,
        risk: { clues, dataAnomalies, lastYearFindings, creditGrade },
      })),
      randomCount: 2,
      riskCount: 1,
      weights: DEFAULT_RISK_WEIGHTS,
    });
    expect(draw.result).toEqual({ random: again.random, risk: again.risk });
    for (const id of [...draw.result.random, ...draw.result.risk]) expect(['H001', 'P002']).not.toContain(id);
    const text = publishedDrawText(draw);
    expect(text).toContain('候选机构 4 家；随机抽取 2 家，风险加权抽取 1 家');
    expect(text).toContain('未列入候选：2 家（2027年已进行现场检查，且无举报线索或数据疑点');
  });

  it('clamps counts to the eligible pool, random first', () => {
    expect(clampDrawCounts({ random: 4, risk: 4 }, 5)).toEqual({ random: 4, risk: 1 });
    expect(clampDrawCounts({ random: 9, risk: 4 }, 5)).toEqual({ random: 5, risk: 0 });
    expect(clampDrawCounts({ random: 0, risk: 0 }, 0)).toEqual({ random: 0, risk: 0 });
    expect(() => clampDrawCounts({ random: -1, risk: 0 }, 5)).toThrow(/randomCount must be a non-negative integer/);
    const draw = flyingDrawRecord(request({ randomCount: 3, riskCount: 5 }), POOL);
    expect(draw.requested).toEqual({ random: 3, risk: 5 });
    expect(draw.counts).toEqual({ random: 3, risk: 1 });
    expect(publishedDrawText(draw)).toContain('符合条件的候选机构不足，按候选数抽取（随机 3 家，风险加权 1 家）');
  });
});

describe('jianguan draw verify --draw', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });
  const recorded = (): FlyingDrawRecord => flyingDrawRecord(request({ randomCount: 3, riskCount: 5 }), POOL);

  it('re-runs a recorded draw with its own weights and clamped counts: MATCH', async () => {
    // Weights other than the plan's, to show the recorded ones are used.
    const draw = flyingDrawRecord(request({ weights: { ...DEFAULT_RISK_WEIGHTS, clues: 40 }, randomCount: 1, riskCount: 9 }), POOL);
    const verified = await drawVerifyRecorded({ draw: writeDraw('ok.json', draw) });
    expect(verified.match).toBe(true);
    expect(verified.text).toContain('MATCH：重新抽取结果与记录的抽取结果一致（349901-flying-2027）');
    expect(verified.text).toContain('风险分 = 1 + 举报线索×40');
    expect(verified.selection.risk).toEqual(draw.result.risk);
  });

  it('says MISMATCH, naming what differs, and the command exits 1', async () => {
    const draw = recorded();
    const tampered = { ...draw, result: { random: [...draw.result.random].reverse(), risk: draw.result.risk } };
    const verified = await drawVerifyRecorded({ draw: writeDraw('tampered.json', tampered) });
    expect(verified.match).toBe(false);
    expect(verified.text).toContain('MISMATCH：重新抽取结果与记录的抽取结果不一致');
    expect(verified.text).toMatch(/random: re-run gives .*; recorded /);
    expect((await drawVerifyRecorded({ draw: writeDraw('seed.json', draw), seed: 'published-elsewhere' })).text).toContain(
      'seed: re-run with "published-elsewhere", recorded "seed-2027"',
    );
    expect((await drawVerifyRecorded({ draw: writeDraw('counts.json', { ...draw, counts: { random: 3, risk: 5 } }) })).text).toContain(
      'counts: clamped to the pool of 4 they are random 3 + risk 1, recorded 3 + 5',
    );

    const program = new Command('jianguan').exitOverride();
    registerDrawCommands(program);
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void printed.push(parts.join(' ')));
    await program.parseAsync(['node', 'jianguan', 'draw', 'verify', '--draw', path.join(dir, 'tampered.json')]);
    expect(printed.join('\n')).toContain('MISMATCH');
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
    await program.parseAsync(['node', 'jianguan', 'draw', 'verify', '--draw', writeDraw('ok2.json', draw)]);
    expect(process.exitCode).toBeUndefined();
  });

  it('names the field of a broken draw file and refuses mixing in a pool', async () => {
    const draw = recorded();
    const broken = {
      ...draw,
      format: 'other',
      pool: [{ ...draw.pool[0], kind: 'clinic' }, ...draw.pool.slice(1)],
      requested: { random: -1, risk: 1 },
    };
    const error = await drawVerifyRecorded({ draw: writeDraw('broken.json', broken) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).toContain('draw.format: expected "jianguan-flying-draw/1"');
    expect(message).toContain('draw.pool[0].kind: expected one of hospital, pharmacy, got "clinic"');
    expect(message).toContain('draw.requested.random');
    expect(() => parseDrawFile('{', 'x.json')).toThrow(/invalid draw file x.json:\n {2}\(file\): not valid YAML or JSON/);
    await expect(drawVerifyRecorded({ draw: writeDraw('mix.json', draw), pool: 'pool.yaml' })).rejects.toThrow(
      /leave out --pool, --random and --risk/,
    );
    await expect(drawVerifyRecorded({ draw: path.join(dir, 'none.json') })).rejects.toThrow(/--draw: cannot read/);
  });
});
