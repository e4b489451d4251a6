// A testharness.js of our own: the subset of web-platform-tests' harness that the spec's JS API
// tests use (test, promise_test, setup, the assert_* family, format_value), with the same
// semantics where a test's outcome depends on them — which exception matches assert_throws_js,
// how promise tests are serialized, what a failing setup does — so that a test passes here
// exactly when it passes under the real harness.
// https://web-platform-tests.org/writing-tests/testharness-api.html
//
// One deliberate addition: a failure caused by a feature the engine under test reports as not
// implemented (the engine's own "not supported" error, recognised by the engine row in
// engines.ts, never by the test's name) makes the test SKIP with that reason, even when the
// error was caught by an assert_throws_* or promise_rejects_* expecting another exception.

export type SubtestStatus = 'PASS' | 'FAIL' | 'SKIP';

export interface SubtestResult {
  readonly name: string;
  readonly status: SubtestStatus;
  /** Why it failed, or the skip reason. */
  readonly message?: string;
  /** Milliseconds from the start of the test function to its end (a promise test: to settling). */
  readonly ms?: number;
}

export interface HarnessOptions {
  /** The skip reason when `error` is the engine's "feature not implemented", else null. */
  readonly unsupportedReason?: (error: unknown) => string | null;
  /** Called as each subtest finishes (so that a crash later loses nothing already decided). */
  readonly onResult?: (result: SubtestResult) => void;
}

/** Thrown by a failing assertion; testharness.js lets assert_throws_* rethrow these untouched. */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

/** Raised by the harness when a subtest reached an unsupported feature; becomes a SKIP. */
class UnsupportedFeature extends Error {
  override name = 'UnsupportedFeature';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** A subtest, as test functions see it (`t`). */
class Subtest {
  #cleanups: (() => unknown)[] = [];
  #result: SubtestResult | null = null;
  /** When the test function started (set by the harness when it calls it). */
  started = performance.now();

  constructor(
    readonly name: string,
    private readonly harness: Harness,
  ) {}

  get finished(): boolean {
    return this.#result !== null;
  }

  step<T>(fn: (...args: unknown[]) => T, thisArg?: unknown, ...args: unknown[]): T | undefined {
    if (this.finished) return undefined;
    try {
      return fn.apply(thisArg ?? this, args);
    } catch (error) {
      this.finish(error);
      throw error;
    }
  }

  step_func<A extends unknown[], T>(fn: (...args: A) => T, thisArg?: unknown): (...args: A) => T | undefined {
    return (...args: A) => this.step(fn as (...a: unknown[]) => T, thisArg, ...args);
  }

  step_func_done<A extends unknown[], T>(fn?: (...args: A) => T, thisArg?: unknown): (...args: A) => void {
    return (...args: A) => {
      if (fn !== undefined) this.step(fn as (...a: unknown[]) => T, thisArg, ...args);
      this.done();
    };
  }

  unreached_func(description?: string): () => void {
    return () => assert(false, 'assert_unreached', description, 'Reached unreachable code');
  }

  add_cleanup(fn: () => unknown): void {
    this.#cleanups.push(fn);
  }

  done(): void {
    this.finish(undefined);
  }

  /** Records the outcome once: `error` undefined is a pass. */
  finish(error: unknown): void {
    if (this.finished) return;
    this.#result = { ...this.harness.classify(this.name, error), ms: Math.round(performance.now() - this.started) };
  }

  /** Runs the cleanups (awaiting those that return promises), then reports the result. */
  async complete(): Promise<void> {
    for (const cleanup of this.#cleanups) {
      try {
        await cleanup();
      } catch (error) {
        this.harness.harnessError(`cleanup of "${this.name}" threw ${describeError(error)}`);
      }
    }
    this.harness.report(this.#result ?? { name: this.name, status: 'FAIL', message: 'the test never finished' });
  }
}

/** One run of one test file: the globals its scripts call, and what they produced. */
export class Harness {
  readonly results: SubtestResult[] = [];
  /** Harness-level errors: an uncaught exception in a script, a failing setup, an unhandled rejection. */
  readonly errors: string[] = [];
  /**
   * Set when the file could not run because the engine reported a feature as not implemented
   * where a failure would otherwise be a harness error (in `setup`, or a helper script).
   */
  skipReason: string | null = null;
  #names = new Map<string, number>();
  #promiseTests: Promise<void> = Promise.resolve();
  /** After a failing setup, testharness.js completes the file: later subtests do not run. */
  #closed = false;
  readonly #options: HarnessOptions;

  constructor(options: HarnessOptions = {}) {
    this.#options = options;
  }

  /** Installs the harness's functions as globals of `global` (the realm the tests run in). */
  install(global: Record<string, unknown>): void {
    const api: Record<string, unknown> = {
      test: (fn: (t: Subtest) => unknown, name?: string) => this.test(fn, name),
      promise_test: (fn: (t: Subtest) => unknown, name?: string) => this.promiseTest(fn, name),
      setup: (fnOrProperties?: unknown) => this.setup(fnOrProperties),
      done: () => undefined,
      format_value: formatValue,
      AssertionError,
      ...this.#assertions(),
    };
    for (const [name, value] of Object.entries(api)) {
      Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
    }
  }

  /** Waits for every promise test (they run one after another, as in testharness.js). */
  async finished(): Promise<void> {
    await this.#promiseTests;
  }

  harnessError(message: string): void {
    this.errors.push(message);
  }

  /** An uncaught exception thrown while a script was evaluated. */
  scriptError(file: string, error: unknown): void {
    const reason = this.#unsupported(error);
    if (reason !== null) this.skipReason ??= reason;
    else this.harnessError(`${file}: uncaught ${describeError(error)}`);
  }

  /** @internal PASS, SKIP or FAIL for a subtest that ended with `error` (undefined: none). */
  classify(name: string, error: unknown): SubtestResult {
    if (error === undefined) return { name, status: 'PASS' };
    const reason = error instanceof UnsupportedFeature ? error.reason : this.#unsupported(error);
    if (reason !== null) return { name, status: 'SKIP', message: reason };
    return { name, status: 'FAIL', message: describeError(error) };
  }

  /** @internal */
  report(result: SubtestResult): void {
    this.results.push(result);
    this.#options.onResult?.(result);
  }

  test(fn: (t: Subtest) => unknown, name?: string): void {
    if (this.#closed) return;
    const t = new Subtest(this.#uniqueName(name, fn), this);
    try {
      fn.call(t, t);
      t.finish(undefined);
    } catch (error) {
      t.finish(error);
    }
    // Cleanups of synchronous tests are synchronous in practice; the promise only orders reporting.
    void t.complete();
  }

  promiseTest(fn: (t: Subtest) => unknown, name?: string): void {
    if (this.#closed) return;
    const t = new Subtest(this.#uniqueName(name, fn), this);
    this.#promiseTests = this.#promiseTests.then(async () => {
      t.started = performance.now();
      try {
        const value = fn.call(t, t);
        if (!isThenable(value)) {
          throw new AssertionError(`promise_test: test body must return a 'thenable' object (received ${formatValue(value)})`);
        }
        await value;
        t.finish(undefined);
      } catch (error) {
        t.finish(error);
      }
      await t.complete();
    });
  }

  setup(fnOrProperties?: unknown): void {
    if (typeof fnOrProperties !== 'function') return;
    try {
      (fnOrProperties as () => unknown)();
    } catch (error) {
      const reason = this.#unsupported(error);
      if (reason !== null) this.skipReason ??= reason;
      else this.harnessError(`setup threw ${describeError(error)}`);
      this.#closed = true;
    }
  }

  #unsupported(error: unknown): string | null {
    return this.#options.unsupportedReason?.(error) ?? null;
  }

  /** Subtest names are the ratchet's keys: a repeated name gets a " (2)", " (3)"… suffix. */
  #uniqueName(name: string | undefined, fn: Function): string {
    const base = name ?? (fn.name || 'Untitled');
    const seen = (this.#names.get(base) ?? 0) + 1;
    this.#names.set(base, seen);
    return seen === 1 ? base : `${base} (${seen})`;
  }

  /** An exception caught where another was expected: an unsupported feature wins over the mismatch. */
  #rethrowUnsupported(error: unknown): void {
    const reason = this.#unsupported(error);
    if (reason !== null) throw new UnsupportedFeature(reason);
  }

  #assertions(): Record<string, (...args: never[]) => unknown> {
    const rethrowUnsupported = (error: unknown) => this.#rethrowUnsupported(error);

    function assertThrowsJs(kind: string, constructor: unknown, func: () => unknown, description?: string): void {
      let thrown: unknown;
      try {
        func.call(undefined);
      } catch (error) {
        thrown = error;
        if (error instanceof AssertionError) throw error;
        rethrowUnsupported(error);
        assert(typeof error === 'object' && error !== null, kind, description, '${func} threw ${e}, not an object', { func, e: error });
        assert(typeof constructor === 'function', kind, description, '${constructor} is not a constructor', { constructor });
        let proto: unknown = constructor;
        while (proto !== null && !(typeof proto === 'function' && (proto as { name: string }).name === 'Error')) proto = Object.getPrototypeOf(proto);
        assert(proto !== null, kind, description, '${constructor} is not an Error subtype', { constructor });
        const e = error as { constructor: unknown; name: unknown };
        const ctor = constructor as { name: string };
        assert(e.constructor === constructor && e.name === ctor.name, kind, description, '${func} threw ${actual} (${actualName}) expected instance of ${expected} (${expectedName})', { func, actual: error, actualName: e.name, expected: constructor, expectedName: ctor.name });
        return;
      }
      void thrown;
      assert(false, kind, description, '${func} did not throw', { func });
    }

    /** The legacy assert_throws(code, func): an object code matches by `name`. */
    function assertThrowsLegacy(kind: string, code: unknown, func: () => unknown, description?: string): void {
      try {
        func.call(undefined);
      } catch (error) {
        if (error instanceof AssertionError) throw error;
        rethrowUnsupported(error);
        if (typeof code === 'function') return assertThrowsJs(kind, code, () => { throw error; }, description);
        if (typeof code !== 'object' || code === null) throw new AssertionError(`${kind}: test bug: pass the expected exception`);
        const expectedName = (code as { name?: unknown }).name;
        const actualName = typeof error === 'object' && error !== null && 'name' in error ? (error as { name: unknown }).name : undefined;
        assert(actualName === expectedName, kind, description, '${func} threw ${actual} (${actualName}) expected ${expected} (${expectedName})', { func, actual: error, actualName, expected: code, expectedName });
        return;
      }
      assert(false, kind, description, '${func} did not throw', { func });
    }

    function assertThrowsExactly(kind: string, exception: unknown, func: () => unknown, description?: string): void {
      try {
        func.call(undefined);
      } catch (error) {
        if (error instanceof AssertionError) throw error;
        rethrowUnsupported(error);
        assert(Object.is(error, exception), kind, description, '${func} threw ${e} but we expected it to throw ${exception}', { func, e: error, exception });
        return;
      }
      assert(false, kind, description, '${func} did not throw', { func });
    }

    const rejects = (check: (error: unknown) => void, promise: unknown, description?: string): Promise<void> =>
      Promise.resolve(promise).then(
        () => assert(false, 'assert_unreached', description, 'Should have rejected: ${description}', { description }),
        (error: unknown) => check(error),
      );

    return {
      assert_true: (actual: unknown, description?: string) => assert(actual === true, 'assert_true', description, 'expected true got ${actual}', { actual }),
      assert_false: (actual: unknown, description?: string) => assert(actual === false, 'assert_false', description, 'expected false got ${actual}', { actual }),
      assert_equals: (actual: unknown, expected: unknown, description?: string) => {
        if (typeof actual !== typeof expected) {
          assert(false, 'assert_equals', description, `expected (${typeof expected}) \${expected} but got (${typeof actual}) \${actual}`, { expected, actual });
        }
        assert(Object.is(actual, expected), 'assert_equals', description, 'expected ${expected} but got ${actual}', { expected, actual });
      },
      assert_not_equals: (actual: unknown, expected: unknown, description?: string) =>
        assert(!Object.is(actual, expected), 'assert_not_equals', description, 'got disallowed value ${actual}', { actual }),
      assert_array_equals: (actual: unknown, expected: ArrayLike<unknown>, description?: string) => {
        assert(typeof actual === 'object' && actual !== null && 'length' in actual, 'assert_array_equals', description, 'value is ${actual}, expected array', { actual });
        const a = actual as ArrayLike<unknown>;
        assert(a.length === expected.length, 'assert_array_equals', description, 'lengths differ, expected array ${expected} length ${expectedLength}, got ${actual} length ${actualLength}', { expected, expectedLength: expected.length, actual, actualLength: a.length });
        for (let i = 0; i < a.length; i++) {
          assert(Object.hasOwn(a, i) === Object.hasOwn(expected, i), 'assert_array_equals', description, 'expected property ${i} to be ${expected} but was ${actual}', { i, expected: Object.hasOwn(expected, i) ? 'present' : 'missing', actual: Object.hasOwn(a, i) ? 'present' : 'missing' });
          assert(Object.is(a[i], expected[i]), 'assert_array_equals', description, 'expected property ${i} to be ${expected} but got ${actual}', { i, expected: expected[i], actual: a[i] });
        }
      },
      assert_in_array: (actual: unknown, expected: unknown[], description?: string) =>
        assert(expected.includes(actual), 'assert_in_array', description, 'value ${actual} not in array ${expected}', { actual, expected }),
      assert_greater_than: (actual: number, expected: number, description?: string) =>
        assert(typeof actual === 'number' && actual > expected, 'assert_greater_than', description, 'expected a number greater than ${expected} but got ${actual}', { expected, actual }),
      assert_less_than: (actual: number, expected: number, description?: string) =>
        assert(typeof actual === 'number' && actual < expected, 'assert_less_than', description, 'expected a number less than ${expected} but got ${actual}', { expected, actual }),
      assert_own_property: (object: object, name: PropertyKey, description?: string) =>
        assert(Object.prototype.hasOwnProperty.call(object, name), 'assert_own_property', description, 'expected property ${p} missing', { p: name }),
      assert_not_own_property: (object: object, name: PropertyKey, description?: string) =>
        assert(!Object.prototype.hasOwnProperty.call(object, name), 'assert_not_own_property', description, 'unexpected property ${p} is found on object', { p: name }),
      assert_class_string: (object: unknown, classString: string, description?: string) => {
        const actual = Object.prototype.toString.call(object);
        const expected = `[object ${classString}]`;
        assert(actual === expected, 'assert_class_string', description, 'expected ${expected} but got ${actual}', { expected, actual });
      },
      assert_unreached: (description?: string) => assert(false, 'assert_unreached', description, 'Reached unreachable code'),
      assert_throws_js: (constructor: unknown, func: () => unknown, description?: string) => assertThrowsJs('assert_throws_js', constructor, func, description),
      assert_throws_exactly: (exception: unknown, func: () => unknown, description?: string) => assertThrowsExactly('assert_throws_exactly', exception, func, description),
      assert_throws: (code: unknown, func: () => unknown, description?: string) => assertThrowsLegacy('assert_throws', code, func, description),
      promise_rejects_js: (_t: unknown, constructor: unknown, promise: unknown, description?: string) =>
        rejects((error) => assertThrowsJs('promise_rejects_js', constructor, () => { throw error; }, description), promise, description),
      promise_rejects_exactly: (_t: unknown, exception: unknown, promise: unknown, description?: string) =>
        rejects((error) => assertThrowsExactly('promise_rejects_exactly', exception, () => { throw error; }, description), promise, description),
      promise_rejects: (_t: unknown, code: unknown, promise: unknown, description?: string) =>
        rejects((error) => assertThrowsLegacy('promise_rejects', code, () => { throw error; }, description), promise, description),
    };
  }
}

/** testharness.js's assert(): the message is "<assertion>: <description> <message with ${…} filled in>". */
function assert(condition: boolean, kind: string, description: string | undefined, message: string, substitutions: Record<string, unknown> = {}): asserts condition {
  if (condition) return;
  const filled = message.replace(/\$\{([^}]+)\}/g, (_, key: string) => formatValue(substitutions[key]));
  throw new AssertionError(`${kind}: ${description ? `${description} ` : ''}${filled}`);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

const CONTROL_ESCAPES: Record<string, string> = { '\0': '\\0', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r' };

/** testharness.js's format_value: test names are built with it, so its output is part of each name. */
export function formatValue(value: unknown, seen: unknown[] = []): string {
  if (typeof value === 'object' && value !== null) {
    if (seen.includes(value)) return '[...]';
    seen.push(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => formatValue(v, seen)).join(', ')}]`;
  switch (typeof value) {
    case 'string': {
      let text = value.replace(/\\/g, '\\\\');
      text = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => CONTROL_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      return `"${text.replace(/"/g, '\\"')}"`;
    }
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    default:
      if (value === null) return 'null';
      try {
        const text = String(value);
        return `${typeof value} "${text.length > 1000 ? `${text.slice(0, 1000)}...` : text}"`;
      } catch (error) {
        return `[stringifying object threw ${String(error)} with type ${typeof error}]`;
      }
  }
}

/** How a thrown value reads in a report. */
export function describeError(error: unknown): string {
  if (error instanceof AssertionError) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    return `${String(name ?? 'Error')}: ${String(message)}`;
  }
  return formatValue(error);
}
