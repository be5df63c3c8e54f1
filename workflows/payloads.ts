// Refusing an Update's payload from its validator: a non-retryable failure whose message names the field, and nothing
// changes. Shared by every workflow that takes Updates.
import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';
import { formatProblems, zodProblems } from '../domain/validation';

export function reject(message: string, type = 'InvalidPayload'): never {
  throw ApplicationFailure.nonRetryable(message, type);
}

/** The payload parsed by `schema`, or a refusal listing every invalid field by path. */
export function parseOrReject<S extends z.ZodType>(schema: S, payload: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) reject(`invalid ${what}: ${formatProblems(zodProblems(parsed.error))}`);
  return parsed.data;
}
