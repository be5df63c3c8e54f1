// `jianguan person-case …` as a person runs it, against the person case workflow on the time-skipping server (the
// harness worker, its ledger served to the CLI, the payload codec on both sides): a bad case file refused field by
// field (the ID number's check character named, the number never echoed), then open → 约谈 → card suspension → a fine
// outside article 41 refused in one line → penalty → referral → recovery → close, show and list; and the person's
// name, ID number and insurance number in no output, and (the codec on) in no raw history or search attribute; then
// `person-case person`, the one command that shows the person, to an officer only, audited first.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { until, withCli } from '../helpers/cli-harness';
import { idNumberOf } from '../helpers/person-case-input';
import { createTimeSkippingEnv } from '../helpers/temporal';

const PERSON = { name: '东方示例', idNumber: idNumberOf('35010219850505123'), insuranceNo: 'YB3501009999' };
const fx = {} as { env: TestWorkflowEnvironment; dir: string };

beforeAll(async () => {
  fx.env = await createTimeSkippingEnv();
  fx.dir = mkdtempSync(path.join(tmpdir(), 'jianguan-cli-person-'));
});
afterAll(async () => {
  await fx.env?.teardown();
  rmSync(fx.dir, { recursive: true, force: true });
});

const caseFile = (over: Record<string, unknown> = {}) => {
  const file = path.join(fx.dir, `case-${Math.random().toString(36).slice(2)}.yaml`);
  const body = {
    caseNo: 'RY-2026-001',
    person: PERSON,
    source: { kind: 'data', reference: 'SJ-2026-11', recordedBy: 'insp-02' },
    items: [{ category: '冒名就医', description: '使用他人医保凭证就医', amountFen: 150_000 }],
    responsibleUnit: 'fund-supervision',
    ...over,
  };
  writeFileSync(file, YAML.stringify(body));
  return file;
};

describe('jianguan person-case', () => {
  it('opens, decides, shows and lists a person case; refusals name the field; the person is never printed', async () => {
    await withCli(fx.env, path.join(fx.dir, 'data'), async (run, harness) => {
      const outputs: string[] = [];
      const bad = caseFile({
        person: { ...PERSON, idNumber: PERSON.idNumber.slice(0, 17) + (PERSON.idNumber[17] === '1' ? '2' : '1') },
        responsibleUnit: 'nobody',
      });
      const refused = await run('person-case', 'open', bad).catch((e: Error) => e.message);
      expect(refused).toContain('person.idNumber: the check character');
      expect(refused).toContain('responsibleUnit');
      outputs.push(refused);

      outputs.push(await run('person-case', 'open', caseFile()));
      expect(outputs.at(-1)).toContain('opened person case RY-2026-001');
      const decide = (...args: string[]) => run('person-case', 'decide', 'RY-2026-001', '--by', 'leader-director', ...args);
      outputs.push(await decide('--action', 'interview', '--reason', '约谈当事人'));
      const months = await decide('--action', 'suspend-card', '--reason', '冒名就医', '--months', 'three').catch((e: Error) => e.message);
      expect(months).toBe('--months: expected a whole number, got "three"');
      outputs.push(await decide('--action', 'suspend-card', '--reason', '冒名就医', '--months', '3'));
      const fine = await decide('--action', 'penalty', '--reason', '骗保', '--paragraph', '41-2', '--multiple', '6').catch(
        (e: Error) => e.message,
      );
      expect(fine).toMatch(/^rejected: invalid person case decision: multiple: 6 is outside 2–5/);
      outputs.push(await decide('--action', 'penalty', '--reason', '骗保', '--paragraph', '41-2', '--multiple', '2'));
      expect(outputs.at(-1)).toContain('罚款 3,000.00');
      outputs.push(await decide('--action', 'refer', '--reason', '涉嫌诈骗', '--agency', 'public-security'));
      outputs.push(await decide('--action', 'recover', '--amount', '1500.00', '--reference', 'ZH-9'));
      outputs.push(await decide('--action', 'close', '--reason', '处理完毕'));
      outputs.push(await run('person-case', 'show', 'person-case:349901:RY-2026-001'));
      expect(outputs.at(-1)).toContain('东*');
      expect(outputs.at(-1)).toContain('移交司法机关');
      outputs.push(await run('person-case', 'list'));
      expect(outputs.at(-1)).toContain('RY-2026-001');
      for (const secret of [PERSON.name, PERSON.idNumber, PERSON.insuranceNo]) expect(outputs.join('\n')).not.toContain(secret);
      // The card is lifted by its timer three months on, then the case closes (read in the ledger: the history is
      // encrypted, and this client has no codec).
      await fx.env.sleep('100 days');
      await until('the case closed', async () => (await harness.store.getPersonCase('349901', 'RY-2026-001'))?.stage === 'closed');
      // With the codec on (as `npm start` runs), the raw history holds the person nowhere, the input included.
      const handle = fx.env.client.workflow.getHandle('person-case:349901:RY-2026-001');
      const raw = Buffer.from(temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish()).toString('utf8');
      const { searchAttributes } = await handle.describe();
      for (const secret of [PERSON.name, PERSON.idNumber, PERSON.insuranceNo]) {
        expect(raw).not.toContain(secret);
        expect(JSON.stringify(searchAttributes)).not.toContain(secret);
      }
      const actions = await harness.store.listPersonActions('person-case:349901:RY-2026-001');
      expect(actions.map((a) => a.action)).toContain('card-lifted');
      expect(harness.sent.some((m) => m.kind === 'person-case-card-lifted')).toBe(true);

      // The one command that shows the person: an officer only, and the look audited (without the identity) first.
      await expect(run('person-case', 'person', 'RY-2026-001', '--by', 'outsider')).rejects.toThrow(
        /^--by: outsider is not an officer of 清溪区/,
      );
      const shown = await run('person-case', 'person', 'RY-2026-001', '--by', 'leader-director', '--reason', '送达处罚决定书');
      for (const secret of [PERSON.name, PERSON.idNumber, PERSON.insuranceNo]) expect(shown).toContain(secret);
      const looks = (await harness.store.listAudit('person-case:349901:RY-2026-001')).filter((a) => a.action === 'person-revealed');
      expect(looks.map((a) => [a.actor, a.reason])).toEqual([['leader-director', '查阅当事人身份信息：送达处罚决定书']]);
      for (const secret of [PERSON.name, PERSON.idNumber, PERSON.insuranceNo]) expect(JSON.stringify(looks)).not.toContain(secret);
    });
  }, 120_000);
});
