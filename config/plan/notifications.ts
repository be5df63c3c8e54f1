// Reminders before deadlines, and where notices go: the channels and the leadership's address.
import { z } from 'zod';
import { dayOffsets, email, timeOfDay } from './fields';

export const reminders = z
  .strictObject({ offsetsDays: dayOffsets.default([30, 14, 7, 1]), timeOfDay: timeOfDay.default('09:00') })
  .prefault({});

export const notifications = z.strictObject({
  channels: z
    .array(z.enum(['email']))
    .min(1, 'needs at least one channel')
    .default(['email']),
  leadershipEmail: email,
});
