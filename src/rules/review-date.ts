/**
 * Days before a workflow's review date when the guard starts asking for the renewal: the
 * pack's advisory, `validate`'s warning and the reconciler's renewal-due flag. In a module of
 * its own, free of the schema library, so that the reconciler's bundle can import it.
 */
export const REVIEW_WARNING_DAYS = 14;
