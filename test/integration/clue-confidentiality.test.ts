// The reporter protected by construction (issue: clues), on the real dev server with a worker process on PostgreSQL:
// a clue from a planted real-name reporter goes from intake to a paid reward, its case refers a planted person to the
// discipline commission, and an insured person's case (issue 13) runs through 约谈, penalty, referral and closing. Then
// the reporter's name, phone, ID number and address, the flagged person's name, and the insured person's name, ID
// number and insurance number are looked for in the raw histories (read without the codec), the dev server's SQLite
// files, the worker's log, the search attributes, every table of the ledger and the outbox — every mail but the
// reporter's own. Zero hits; and the same
// histories read through the codec server show the clue (its reporter masked), the flagged person and the insured.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReporterIdentity } from '../../activities/clues';
import { loadCodecToken, startConfiguredCodecServer, type ConfiguredCodecServer } from '../../codec/configured-server';
import { loadKeyring } from '../../codec/keyring';
import { payloadsToJson } from '../../codec/payload-json';
import { createSealer } from '../../codec/sealer';
import { DEFAULT_PLAN_FILE, loadPlan, type Plan } from '../../config';
import { clueWorkflowId, contactPersons, personCaseWorkflowId } from '../../domain/business-keys';
import { maskName } from '../../domain/clue';
import { openStore, type SqlStore } from '../../records/store';
import { referUpdate } from '../../workflows/case/api';
import {
  acceptClueUpdate,
  approveRewardUpdate,
  claimRewardUpdate,
  CLUE_WORKFLOW_TYPE,
  concludeClueUpdate,
  type ClueInput,
  type ClueWorkflow,
} from '../../workflows/clue/api';
import { clueContextFromPlan } from '../../workflows/clue/context';
import {
  decidePersonUpdate,
  PERSON_CASE_WORKFLOW_TYPE,
  type PersonCaseInput,
  type PersonCaseWorkflow,
} from '../../workflows/person-case/api';
import { personCaseContextFromPlan } from '../../workflows/person-case/context';
import { idNumberOf } from '../helpers/person-case-input';
import { freshDatabase } from '../helpers/db';
import { eventually, serverDatabaseFiles, startDevStack, type DevStack } from '../helpers/dev-stack';
import { fictitiousYears } from '../helpers/holidays';

const root = path.resolve(__dirname, '../..');
const MARK = randomUUID().replaceAll('-', '').slice(0, 12);
/** ASCII-marked planted data, so a hit is found whatever encoding surrounds it. */
const REPORTER: ReporterIdentity = {
  name: `欧阳${MARK}`,
  phone: '139' + MARK.replace(/\D/g, '0').padEnd(8, '7').slice(0, 8),
  idNumber: `1101011980${MARK.slice(0, 8)}`,
  address: `和平路${MARK}号`,
  email: `reporter.${MARK}@example.net`,
};
const FLAGGED = `院长${MARK}X`;
/** The insured person of a person case (issue 13): the ID number with its check character, from the mark's digits. */
const INSURED = {
  name: `东方${MARK}`,
  idNumber: idNumberOf(`3501021985${MARK.replace(/\D/g, '7').slice(0, 7)}`),
  insuranceNo: `YB${MARK}`,
  professional: true,
};
const SECRETS = [
  REPORTER.name,
  REPORTER.phone!,
  REPORTER.idNumber!,
  REPORTER.address!,
  FLAGGED,
  INSURED.name,
  INSURED.idNumber,
  INSURED.insuranceNo,
];

let stack: DevStack;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let store: SqlStore;
let worker: ChildProcess;
let workerLog = '';
let codecServer: ConfiguredCodecServer;
let clueId: string;
let caseId: string;
let personCaseId: string;

beforeAll(async () => {
  database = await freshDatabase('jianguan_confidential');
  stack = await startDevStack({ worker: false });
  worker = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: root,
    env: { ...process.env, ...stack.env, DATABASE_URL: database.url, LOG_LEVEL: 'debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout!.on('data', (chunk: Buffer) => (workerLog += chunk.toString()));
  worker.stderr!.on('data', (chunk: Buffer) => (workerLog += chunk.toString()));
  await eventually(async () => workerLog.includes('"worker running"'), Boolean, { timeoutMs: 90_000, intervalMs: 200 });
  store = await openStore({ databaseUrl: database.url });
  codecServer = await startConfiguredCodecServer(stack.config, () => undefined);

  // The intake: the reporter sealed into the ledger under the codec's keys, the workflow given only the masked name.
  const plan = await loadPlan(DEFAULT_PLAN_FILE);
  const clueNo = `JB-${MARK}`;
  const sealer = createSealer(loadKeyring(stack.config.codec.keys));
  await store.saveReporter({
    jurisdiction: plan.jurisdiction.code,
    clueNo,
    ...sealer.seal(JSON.stringify(REPORTER)),
    masked: maskName(REPORTER.name),
  });
  const institution = plan.institutions[1]!;
  const context = clueContextFromPlan(plan);
  const input: ClueInput = {
    ...context,
    // The plan's limits are working days on the real clock: with a fictitious arrangement for the years the holiday data
    // does not cover yet (from mid-December the first deadline falls in the next year, where the workflow would wait).
    rules: { ...context.rules, holidays: { ...fictitiousYears(new Date().getUTCFullYear()), ...context.rules.holidays } },
    clueNo,
    year: new Date().getFullYear(),
    receivedAt: new Date().toISOString(),
    channel: 'phone',
    source: { kind: 'local' },
    subject: {
      institution: { id: institution.id, name: institution.name, kind: institution.kind, contacts: contactPersons(institution) },
      description: institution.name,
    },
    summary: '反映该院串换药品',
    reporter: { realName: true, masked: maskName(REPORTER.name), byEmail: true, reachable: true, signatories: 1 },
  };
  clueId = clueWorkflowId(plan.jurisdiction.code, clueNo);
  const handle = await stack.client.workflow.start<ClueWorkflow>(CLUE_WORKFLOW_TYPE, {
    workflowId: clueId,
    taskQueue: stack.config.temporal.taskQueue,
    args: [input],
  });
  await handle.executeUpdate(acceptClueUpdate, { args: [{ decidedBy: 'leader-deputy-fund', unitId: 'audit-centre' }] });
  const item = { category: '串换药品', description: '将非医保药品串换为医保药品结算', amountFen: 10_000_000, article: '38' };
  const concluded = await handle.executeUpdate(concludeClueUpdate, {
    args: [{ handledBy: 'insp-01', outcome: 'verified', verifiedFen: 10_000_000, findings: '查实', action: 'case', items: [item] }],
  });
  caseId = concluded.caseId!;
  await stack.client.workflow.getHandle(caseId).executeUpdate(referUpdate, {
    args: [{ agency: 'discipline', decidedBy: 'leader-director', reason: '公职人员涉嫌违纪', persons: [{ name: FLAGGED, role: '院长' }] }],
  });
  await handle.executeUpdate(approveRewardUpdate, { args: [{ approvedBy: 'leader-director' }] });
  await handle.executeUpdate(claimRewardUpdate, { args: [{ paidBy: 'insp-02', paidAt: new Date().toISOString(), reference: 'JL-1' }] });
  expect((await handle.result()).stage).toBe('closed');
  personCaseId = await runPersonCase(plan);
  // The reporter's three notices (accepted, concluded, reward) are out.
  await eventually(
    () => store.listNotifications({ keyPrefix: `${clueId}:reporter:` }),
    (rows) => rows.length === 3 && rows.every((r) => r.status === 'sent'),
  );
}, 300_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGTERM');
  await codecServer?.close();
  await store?.close();
  await stack?.stop();
  await database?.drop();
}, 120_000);

const hits = (text: string) => SECRETS.filter((secret) => text.includes(secret));

async function rawHistoryBytes(workflowId: string) {
  const bare = new Client({ connection: stack.connection, namespace: stack.config.temporal.namespace });
  const history = await bare.workflow.getHandle(workflowId).fetchHistory();
  return { history, bytes: Buffer.from(temporal.api.history.v1.History.encode(history).finish()) };
}

describe('a reporter and a flagged person, after a clue from intake to reward', () => {
  it('are in no raw history, nor in the search attributes', async () => {
    for (const id of [clueId, caseId, personCaseId]) {
      const { bytes } = await rawHistoryBytes(id);
      expect(hits(bytes.toString('latin1')).concat(hits(bytes.toString('utf8'))), id).toEqual([]);
      const { searchAttributes } = await stack.client.workflow.getHandle(id).describe();
      expect(hits(JSON.stringify(searchAttributes)), `${id} search attributes`).toEqual([]);
    }
  });

  it("are in no file of the dev server's database", () => {
    const files = serverDatabaseFiles(stack.dataDir);
    expect(files.map((f) => f.file)).toContain('temporal.db');
    for (const { file, bytes } of files) expect(hits(bytes.toString('latin1')).concat(hits(bytes.toString('utf8'))), file).toEqual([]);
  });

  it("are in no line of the worker's log (at debug level)", () => {
    expect(workerLog).toContain('notification sent');
    expect(hits(workerLog)).toEqual([]);
    expect(workerLog).not.toContain(REPORTER.email);
  });

  it('are in no table of the ledger, in clear', async () => {
    const tables = await store.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['clues', 'clue_reporters', 'case_referrals', 'audit_trail', 'notifications']),
    );
    for (const { table_name } of tables) {
      const rows = JSON.stringify(await store.db.query(`SELECT * FROM "${table_name}"`));
      expect(hits(rows).concat(rows.includes(REPORTER.email!) ? [REPORTER.email!] : []), table_name).toEqual([]);
    }
  });

  it("are in no mail but the reporter's own, which address the reporter by name", () => {
    const outbox = stack.config.mail.outboxDir;
    const mails = readdirSync(outbox).map((f) => readFileSync(path.join(outbox, f), 'utf8'));
    const own = mails.filter((m) => m.includes(REPORTER.email!));
    expect(own).toHaveLength(3);
    const others = mails.filter((m) => !own.includes(m));
    expect(others.length).toBeGreaterThanOrEqual(5);
    // Mails are quoted-printable or base64: read each one's decoded body too.
    const decoded = others.map((m) => m + Buffer.from(m.split('\n\n').slice(1).join(''), 'base64').toString('utf8'));
    // The referral letter to the discipline commission names the flagged person: that is its purpose, and it is not
    // the reporter's. Only the reporter's secrets are looked for in the rest.
    for (const m of decoded) expect(hits(m).filter((s) => s !== FLAGGED)).toEqual([]);
  });

  it('read through the codec server (with its token): the clue with the reporter masked, the referral naming the person', async () => {
    const decode = async (id: string) => {
      const { history } = await rawHistoryBytes(id);
      const payloads = collectPayloads(history);
      const res = await fetch(`${codecServer.url}/decode`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${loadCodecToken(stack.config)}` },
        body: JSON.stringify(payloadsToJson(payloads)),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { payloads: Array<{ data?: string }> };
      return body.payloads.map((p) => Buffer.from(p.data ?? '', 'base64').toString('utf8')).join('\n');
    };
    const clue = await decode(clueId);
    expect(clue).toContain(maskName(REPORTER.name));
    expect(clue).toContain('反映该院串换药品');
    expect(hits(clue)).toEqual([]);
    expect(await decode(caseId)).toContain(FLAGGED);
    // The person case's input holds the person: readable only through the codec.
    const person = await decode(personCaseId);
    expect(person).toContain(INSURED.name);
    expect(person).toContain(INSURED.idNumber);
  });
});

/** A person case through 约谈, penalty, referral, recovery and closing (no card suspension: this clock is real). */
async function runPersonCase(plan: Plan): Promise<string> {
  const caseNo = `RY-${MARK}`;
  const unit = plan.responsibleUnits[0]!;
  const leader = plan.leaders.find((l) => l.id === unit.leaderId)!;
  const input: PersonCaseInput = {
    ...personCaseContextFromPlan(plan),
    jurisdiction: { code: plan.jurisdiction.code, name: plan.jurisdiction.name, timeZone: plan.jurisdiction.timeZone },
    caseNo,
    year: new Date().getFullYear(),
    person: INSURED,
    source: { kind: 'data', reference: `SJ-${MARK}`, recordedBy: 'insp-02' },
    items: [{ category: '冒名就医', description: '使用他人医保凭证就医', amountFen: 200_000 }],
    responsibleUnit: { id: unit.id, name: unit.name, email: unit.email },
    leader: { id: leader.id, name: leader.name, email: leader.email },
  };
  const handle = await stack.client.workflow.start<PersonCaseWorkflow>(PERSON_CASE_WORKFLOW_TYPE, {
    workflowId: personCaseWorkflowId(plan.jurisdiction.code, caseNo),
    taskQueue: stack.config.temporal.taskQueue,
    args: [input],
  });
  const decide = (payload: Record<string, unknown>) =>
    handle.executeUpdate(decidePersonUpdate, { args: [{ decidedBy: 'leader-director', reason: '经集体研究决定', ...payload }] });
  await decide({ action: 'interview' });
  await decide({ action: 'penalty', paragraph: '41-2', multiple: 2 });
  await decide({ action: 'refer', agency: 'public-security' });
  await handle.executeUpdate(decidePersonUpdate, {
    args: [{ action: 'recover', decidedBy: 'insp-03', amountFen: 200_000, reference: `ZH-${MARK}` }],
  });
  await decide({ action: 'close' });
  expect((await handle.result()).stage).toBe('closed');
  return handle.workflowId;
}

function collectPayloads(value: unknown, found: temporal.api.common.v1.IPayload[] = []): temporal.api.common.v1.IPayload[] {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return found;
  const record = value as Record<string, unknown>;
  if (ArrayBuffer.isView(record.data) && record.metadata && typeof record.metadata === 'object') found.push(record);
  else for (const child of Object.values(record)) collectPayloads(child, found);
  return found;
}
