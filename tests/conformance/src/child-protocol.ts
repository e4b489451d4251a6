// The line protocol between child-pool.ts and exec-child.ts, shared so both ends agree.

/** Starts every stdout line of a child that carries a result (a JSON `FileResult`). */
export const RESULT_PREFIX = '@@flint-conformance-result ';
