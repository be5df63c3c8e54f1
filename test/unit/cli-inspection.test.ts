// `jianguan inspection record` builds the findings payload from flags or --file and checks it with the workflow's
// schema before sending: every problem is named by the flag that carried it (or its path in the file).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findingsPayload } from '../../cli/inspection';

const dir = mkdtempSync(path.join(tmpdir(), 'jianguan-cli-inspection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const target = { campaign: 'c', institution: 'H001' };
const now = new Date('2026-05-06T02:00:00Z');

function problem(options: Parameters<typeof findingsPayload>[0]): string {
  try {
    findingsPayload(options, now);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the payload to be refused');
}

describe('inspection record: the findings payload', () => {
  it('from flags: names each missing or bad flag', () => {
    expect(problem(target)).toBe('invalid findings: --inspector: required; --violation / --no-violation: required');
    expect(problem({ ...target, inspector: 'I01', violation: false, at: '2026-05-06 10:00' })).toMatch(/^invalid findings: --at: .*offset/);
    expect(problem({ ...target, inspector: 'I01', violation: true })).toMatch(/^invalid findings: --item: /);
  });

  it('from flags: a complete payload passes, with the violation implied by --item', () => {
    expect(findingsPayload({ ...target, inspector: 'I01', item: ['超标准收费|重复收费|12.30|第三十八条'] }, now)).toMatchObject({
      inspectorId: 'I01',
      inspectedAt: now.toISOString(),
      violation: true,
      items: [{ category: '超标准收费', description: '重复收费', amountFen: 1_230, article: '第三十八条' }],
    });
  });

  it('from --file: names the path in the file, and the file', () => {
    const file = path.join(dir, 'findings.yaml');
    writeFileSync(
      file,
      'inspectorId: I01\ninspectedAt: 2026-05-06T10:00:00+08:00\nviolation: true\nitems:\n  - category: 超标准收费\n    amountFen: 1.5\n',
    );
    const message = problem({ ...target, file });
    expect(message).toContain(`invalid findings in ${file}: `);
    expect(message).toContain('items[0].description: required');
    expect(message).toContain('items[0].amountFen: ');
    expect(message).not.toContain('--');
  });
});
