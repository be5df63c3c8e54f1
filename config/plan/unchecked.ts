// Reading the plan as `unknown`, for the checks across fields (schema.ts): they also run when other fields failed
// validation, and must then judge only the parts that are well-formed, leaving the rest to the messages the field
// schemas already gave.

export type Path = (string | number)[];
export type Row = Record<string, unknown>;
/** Records a problem of a check across fields. */
export type Report = (path: Path, message: string) => void;

export const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
/** A well-formed count (positive integer): other values already have their message from the field schema. */
export const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1;
export const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);
export const field = (value: unknown, key: string): unknown => (isRow(value) ? value[key] : undefined);
/** The mapping entries of a list with their indexes; undefined when the list itself is malformed. */
export const rows = (value: unknown): [number, Row][] | undefined =>
  Array.isArray(value) ? value.flatMap((item, i): [number, Row][] => (isRow(item) ? [[i, item]] : [])) : undefined;
