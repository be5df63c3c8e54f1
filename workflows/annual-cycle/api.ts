// The annual cycle's api: inputs, status, workflow id and query of the year and of the yearStarter its Schedule runs.
import { defineQuery } from '@temporalio/workflow';
import type { YearFigures } from '../../domain/coverage-messages';

export interface AnnualCycleInput {
  jurisdiction: string;
  year: number;
}

export interface AnnualCycleStatus {
  year: number;
  stage: 'running' | 'summarised';
  parts: string[];
  summary?: YearFigures;
}

export const annualCycleStatusQuery = defineQuery<AnnualCycleStatus>('status');

export interface YearStarterInput {
  jurisdiction: string;
  timeZone: string;
}

/** The workflow type's name and signature, to start it by name from outside the workflow bundle. */
export const ANNUAL_CYCLE_WORKFLOW_TYPE = 'annualCycle';
export type AnnualCycleWorkflow = (input: AnnualCycleInput) => Promise<AnnualCycleStatus>;
export const YEAR_STARTER_WORKFLOW_TYPE = 'yearStarter';
export type YearStarterWorkflow = (input: YearStarterInput) => Promise<string>;
