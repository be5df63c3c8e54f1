// The weekly tables (周报表, seed 004): when they go out and to whom. The weekday is `calendar.weeklyReportWeekday`.
import { z } from 'zod';
import { citation, email, integer, text, timeOfDay } from './fields';

export const WEEKLY_REPORT_SOURCE =
  '临医保发〔2019〕8号 转发鲁医保发〔2019〕9号：逐案形成处理报告，连同周报表每周三通过协同办公系统发送至市医疗保障局基金管理筹备组';

export const weeklyReport = z
  .strictObject({
    /** Local time on `calendar.weeklyReportWeekday` when the tables are cut off and sent. */
    time: timeOfDay.default('09:00'),
    /** A report missed while the server was down is still made within this many hours (at most 6 days: never next week's). */
    catchupWindowHours: integer.min(1).max(144).default(24),
    /** Who gets the tables besides the leadership group (`notifications.leadershipEmail`): the bureau upward, say. */
    recipients: z
      .array(z.strictObject({ name: text, email }))
      .max(50, 'at most 50 recipients')
      .default([]),
    /** The notice that asks for the tables. */
    source: citation.default(WEEKLY_REPORT_SOURCE),
  })
  .prefault({});
