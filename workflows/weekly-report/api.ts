// The weekly report's api: its input, status and query, and those of the starter its Schedule runs.
import { defineQuery } from '@temporalio/workflow';
import type { WeeklyTables } from '../../domain/weekly-report';

export interface WeeklyReportInput {
  jurisdiction: string;
  /** The ISO week, "2027-W14": the tables are cut off on the plan's weekday and time of that week. */
  week: string;
}

export interface WeeklyReportStatus {
  week: string;
  stage: 'waiting' | 'sent';
  /** ISO-8601. */
  cutOff: string;
  tables?: WeeklyTables;
}

export const weeklyReportStatusQuery = defineQuery<WeeklyReportStatus>('status');

export interface WeeklyReportStarterInput {
  jurisdiction: string;
  timeZone: string;
}

/** The workflow types' names and signatures, to start them by name from outside the workflow bundle. */
export const WEEKLY_REPORT_WORKFLOW_TYPE = 'weeklyReport';
export type WeeklyReportWorkflow = (input: WeeklyReportInput) => Promise<WeeklyReportStatus>;
export const WEEKLY_REPORT_STARTER_WORKFLOW_TYPE = 'weeklyReportStarter';
export type WeeklyReportStarterWorkflow = (input: WeeklyReportStarterInput) => Promise<string>;
