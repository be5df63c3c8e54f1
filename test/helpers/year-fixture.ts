// The shared set-up of the calendar-driven workflow tests: a time-skipping server, a harness worker with the real
// activities, the sample plan, and next year on the server's clock (so the whole calendar lies ahead whenever the
// suite runs). Values are filled in by beforeAll; read them inside tests.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll } from 'vitest';
import { DEFAULT_PLAN_FILE, loadPlan, type Plan } from '../../config';
import { createTimeSkippingEnv } from './temporal';
import { createHarness, type Harness } from './workflow-harness';

export interface YearFixture {
  env: TestWorkflowEnvironment;
  harness: Harness;
  plan: Plan;
  year: number;
}

export function useYearFixture(): YearFixture {
  const fixture = {} as YearFixture;
  beforeAll(async () => {
    fixture.env = await createTimeSkippingEnv();
    fixture.year = new Date(await fixture.env.currentTimeMs()).getUTCFullYear() + 1;
    fixture.harness = await createHarness(fixture.env);
    fixture.plan = await loadPlan(DEFAULT_PLAN_FILE);
  });
  afterAll(async () => {
    await fixture.harness?.close();
    await fixture.env?.teardown();
  });
  return fixture;
}
