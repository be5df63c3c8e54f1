// Personal data never reaches Temporal in clear (DESIGN §7): on the real dev server, a campaign whose institution
// contact (name, e-mail) and an inspector's findings note carry a planted marker. Read WITHOUT the codec, neither the
// histories nor the dev server's SQLite files hold the marker; through the codec server (with its token) and the
// Temporal CLI pointed at it, the marker reads again.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startDemoCampaign } from '../../cli/dev';
import { recordFindings } from '../../cli/inspection';
import { loadCodecToken, startConfiguredCodecServer, type ConfiguredCodecServer } from '../../codec/configured-server';
import { payloadsFromJson, payloadsToJson, type PayloadsJson } from '../../codec/payload-json';
import { DEFAULT_PLAN_FILE, loadPlan, type Plan } from '../../config';
import { inspectionWorkflowId } from '../../domain/business-keys';
import { inspectionStatusQuery } from '../../workflows/inspection/api';
import { eventually, serverDatabaseFiles, startDevStack, type DevStack } from '../helpers/dev-stack';

const run = promisify(execFile);

/** The planted personal data: unique to this run, ASCII (found whatever the encoding around it) beside Chinese. */
const MARK = `PII${randomUUID().replaceAll('-', '')}`;
const CONTACT = { name: `张${MARK}`, role: '医保办主任', email: `${MARK.toLowerCase()}@example.org` };
const NOTE = `约谈 张${MARK}（院长）`;

let stack: DevStack;
let plan: Plan;
let codecServer: ConfiguredCodecServer;
let campaignWorkflowId: string;
let inspectionId: string;
let planDir: string;

/** The demo plan, its first institution's contact the planted person. */
function plantedPlanFile(dir: string): string {
  const doc = YAML.parse(readFileSync(DEFAULT_PLAN_FILE, 'utf8')) as { institutions: Array<{ contacts: unknown[] }> };
  doc.institutions[0].contacts = [CONTACT];
  const file = path.join(dir, 'planted-plan.yaml');
  writeFileSync(file, YAML.stringify(doc));
  return file;
}

beforeAll(async () => {
  planDir = mkdtempSync(path.join(tmpdir(), 'jianguan-planted-'));
  stack = await startDevStack({ planFile: plantedPlanFile(planDir), exportEnv: true });
  const full = await loadPlan(stack.config.planFile);
  plan = { ...full, institutions: full.institutions.slice(0, 1) }; // a campaign of one, quick
  codecServer = await startConfiguredCodecServer(stack.config, (message) => console.warn(message));

  const campaign = await startDemoCampaign(stack.config, plan);
  campaignWorkflowId = campaign.workflowId;
  const institution = plan.institutions[0];
  inspectionId = inspectionWorkflowId(campaign.id, institution.id);
  const assigned = await eventually(
    () =>
      stack.client.workflow
        .getHandle(inspectionId)
        .query(inspectionStatusQuery)
        .catch(() => undefined),
    (status) => status?.stage === 'assigned',
  );
  const inspector = assigned!.team[0];
  // Through the CLI's own path (cli/context.ts's client): the note is personal data an inspector writes.
  await recordFindings({ campaign: campaign.id, institution: institution.id, inspector, violation: false, note: NOTE });
});

afterAll(async () => {
  await codecServer?.close();
  await stack?.stop();
  if (planDir) rmSync(planDir, { recursive: true, force: true });
});

/** A client with no payload codec: what anyone reading Temporal's store or API without the keys sees. */
async function rawHistory(workflowId: string) {
  const bare = new Client({ connection: stack.connection, namespace: stack.config.temporal.namespace });
  return bare.workflow.getHandle(workflowId).fetchHistory();
}

function rawBytes(history: temporal.api.history.v1.IHistory): Buffer {
  return Buffer.from(temporal.api.history.v1.History.encode(history).finish());
}

type FoundPayload = temporal.api.common.v1.IPayload & { where: string };

/** Every payload in a history (any object with `data` bytes and `metadata`), with where it is. */
function payloadsIn(value: unknown, where = '', found: FoundPayload[] = []): FoundPayload[] {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return found;
  const record = value as Record<string, unknown>;
  if (ArrayBuffer.isView(record.data) && record.metadata && typeof record.metadata === 'object') found.push({ ...record, where });
  else for (const [key, child] of Object.entries(record)) payloadsIn(child, `${where}.${key}`, found);
  return found;
}

const encodingOf = (payload: temporal.api.common.v1.IPayload) => Buffer.from(payload.metadata?.encoding ?? []).toString();

describe('personal data on the dev server', () => {
  it('the findings carrying the note were recorded (the worker decrypted the Update)', async () => {
    const status = await stack.client.workflow.getHandle(inspectionId).query(inspectionStatusQuery);
    expect(status.stage).toBe('compliant');
  });

  it('is not in the raw histories (read without the codec): every payload is encrypted', async () => {
    for (const workflowId of [campaignWorkflowId, inspectionId]) {
      const history = await rawHistory(workflowId);
      expect(history.events?.length).toBeGreaterThan(3);
      expect(rawBytes(history).includes(MARK), `${workflowId}: the marker in the raw history bytes`).toBe(false);
      expect(JSON.stringify(historyToJSON(history)), `${workflowId}: the marker in the history JSON`).not.toContain(MARK);
      const payloads = payloadsIn(history);
      expect(payloads.length).toBeGreaterThan(3);
      // Never through the codec: search attributes (Temporal indexes them; they carry no personal data, DESIGN §7), the
      // SDK core's own record of a local activity (seq, type, attempt, times; its result is encrypted) and of a patch
      // (its id, a constant of the code).
      const notOurs = /\.searchAttributes\.|\.markerRecordedEventAttributes\.details\.(data|patch-data)\./;
      const clear = payloads
        .filter((p) => encodingOf(p) !== 'binary/encrypted' && !notOurs.test(p.where))
        .map((p) => `${p.where}: ${encodingOf(p)}`);
      expect(clear, `${workflowId}: payloads in clear`).toEqual([]);
    }
  });

  it("is not in the dev server's SQLite files", () => {
    const files = serverDatabaseFiles(stack.dataDir);
    expect(files.map((f) => f.file)).toContain('temporal.db');
    expect(files.reduce((sum, f) => sum + f.bytes.length, 0)).toBeGreaterThan(100_000);
    for (const { file, bytes } of files) expect(bytes.includes(MARK), file).toBe(false);
  });

  it('reads again through the codec server, with its token only', async () => {
    expect((await decodeThroughServer(inspectionId, {})).status).toBe(401);
    const bearer = { Authorization: `Bearer ${loadCodecToken(stack.config)}` };
    expect(await (await decodeThroughServer(inspectionId, bearer)).text).toContain(NOTE); // the Update's argument
    const campaign = await (await decodeThroughServer(campaignWorkflowId, bearer)).text;
    expect(campaign).toContain(CONTACT.name); // the campaign's input
    expect(campaign).toContain(CONTACT.email);
  });

  it('reads again in the Temporal CLI pointed at the codec server (--codec-endpoint, --codec-auth)', async () => {
    // Not spawnSync: the codec server answering the CLI runs in this process's event loop.
    const show = (...codec: string[]) =>
      run(
        process.env.TEMPORAL_CLI_PATH!,
        ['workflow', 'show', '-w', inspectionId, '--address', stack.config.temporal.address, '--output', 'json', ...codec],
        {
          timeout: 60_000,
          killSignal: 'SIGKILL',
        },
      );
    // It prints payloads' data in base64, decoded or not.
    const data = (json: string) =>
      [...json.matchAll(/"data": "([A-Za-z0-9+/=]*)"/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8')).join('\n');
    expect(data((await show()).stdout)).not.toContain(MARK);
    const shown = await show('--codec-endpoint', codecServer.url, '--codec-auth', `Bearer ${loadCodecToken(stack.config)}`);
    expect(data(shown.stdout)).toContain(NOTE);
  });
});

/** POSTs every payload of the workflow's raw history to the codec server's /decode; the decoded data as text. */
async function decodeThroughServer(
  workflowId: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: Promise<string> }> {
  const body = JSON.stringify(payloadsToJson(payloadsIn(await rawHistory(workflowId))));
  const res = await fetch(`${codecServer.url}/decode`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });
  const text = res.ok
    ? res.json().then((json) =>
        payloadsFromJson(json as PayloadsJson)
          .map((p) => Buffer.from(p.data ?? []).toString('utf8'))
          .join('\n'),
      )
    : res.text();
  return { status: res.status, text };
}
