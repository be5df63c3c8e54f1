// The random draw of 双随机、一公开: random inspectors (and, for flying checks, random targets), reproducible from a
// recorded seed so that the published result can be checked by anyone who re-runs it with the same seed and pool.
// Candidates are put in a canonical order (by id) first, so the order of the plan file never changes the result.
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

export interface DrawCandidate {
  id: string;
  /** Institution ids this person must not inspect (conflict of interest). */
  conflicts: readonly string[];
}

export class DrawError extends Error {
  override name = 'DrawError';
}

/** FNV-1a: turns the recorded seed text into the generator's 32-bit seed. */
function seedNumber(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A seeded shuffle of `items` (Fisher–Yates), returning the first `count`. Deterministic for a given seed. */
export function seededSample<T>(seed: string, items: readonly T[], count: number): T[] {
  const rng = xoroshiro128plus(seedNumber(seed));
  const pool = [...items];
  const picked = Math.max(0, Math.min(count, pool.length));
  for (let i = 0; i < picked; i++) {
    const j = uniformInt(rng, i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, picked);
}

/** Draws an inspection team of `size` people for one institution, excluding anyone with a conflict of interest. */
export function drawTeam(seed: string, pool: readonly DrawCandidate[], institutionId: string, size: number): string[] {
  const eligible = pool
    .filter((person) => !person.conflicts.includes(institutionId))
    .map((person) => person.id)
    .sort();
  if (eligible.length < size) {
    throw new DrawError(`institution ${institutionId}: only ${eligible.length} inspectors without a conflict of interest, ${size} needed`);
  }
  return seededSample(`${seed}:${institutionId}`, eligible, size);
}

/**
 * A seeded source of uniform integers in [min, max] (both inclusive, safe integers), from the same generator and seed
 * derivation as seededSample. For draws that need more than a shuffle (the risk-weighted flying-check draw).
 */
export function seededIntegers(seed: string): (min: number, max: number) => number {
  const rng = xoroshiro128plus(seedNumber(seed));
  return (min, max) => uniformInt(rng, min, max);
}
