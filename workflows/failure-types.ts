// The failure types activities and workflows agree on (pure, so activities import it as the workflows do).

/** A step's data is refused and no retry can mend it (activities/failures.ts). */
export const PERMANENT_DATA_ERROR = 'PermanentDataError';
