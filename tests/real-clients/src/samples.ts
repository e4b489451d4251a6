// Source text the compilers transform: ordinary application code, using what their parsers and
// transforms must handle (types and generics, enums, decorators, classes with private and
// static members, async functions, destructuring, optional chaining, JSX).

/** A TypeScript module: types to erase, an enum, a decorator, classes, async code. */
export const TYPESCRIPT_SAMPLE = `
import { EventEmitter } from 'node:events';

export enum Level { Debug = 10, Info = 20, Warn = 30, Error = 40 }

export interface Entry<T = unknown> {
  readonly level: Level;
  readonly message: string;
  readonly data?: T;
  readonly at: number;
}

type Sink<T> = (entry: Entry<T>) => void | Promise<void>;

function logged(target: unknown, key: string, descriptor: PropertyDescriptor): PropertyDescriptor {
  const original = descriptor.value as (...args: unknown[]) => unknown;
  descriptor.value = function (this: unknown, ...args: unknown[]) {
    const started = Date.now();
    try {
      return original.apply(this, args);
    } finally {
      console.debug(\`\${key} took \${Date.now() - started} ms\`);
    }
  };
  return descriptor;
}

export abstract class Store<K extends string | number, V> {
  static #instances = 0;
  protected readonly entries = new Map<K, V>();
  #hits = 0;
  constructor(public readonly name: string, private readonly limit = 128) {
    Store.#instances++;
  }
  abstract score(value: V): number;
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) this.#hits++;
    return value;
  }
  set(key: K, value: V): this {
    if (this.entries.size >= this.limit) {
      const [worst] = [...this.entries].sort(([, a], [, b]) => this.score(a) - this.score(b));
      if (worst) this.entries.delete(worst[0]);
    }
    this.entries.set(key, value);
    return this;
  }
  get stats(): { name: string; hits: number; size: number; instances: number } {
    return { name: this.name, hits: this.#hits, size: this.entries.size, instances: Store.#instances };
  }
}

export class Logger<T> extends EventEmitter {
  private readonly sinks: Sink<T>[] = [];
  constructor(private readonly minimum: Level = Level.Info) {
    super();
  }
  use(...sinks: Sink<T>[]): this {
    this.sinks.push(...sinks);
    return this;
  }
  @logged
  async log(level: Level, message: string, data?: T): Promise<number> {
    if (level < this.minimum) return 0;
    const entry: Entry<T> = { level, message, data, at: Date.now() };
    const results = await Promise.allSettled(this.sinks.map(async (sink) => sink(entry)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const { reason } of failed) this.emit('error', reason instanceof Error ? reason : new Error(String(reason)));
    return results.length - failed.length;
  }
}

export async function* batches<T>(items: AsyncIterable<T> | Iterable<T>, size = 16): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export const summarize = <T extends { level: Level }>(entries: readonly T[]) =>
  entries.reduce<Record<string, number>>((counts, { level }) => {
    const name = Level[level] ?? 'Unknown';
    counts[name] = (counts[name] ?? 0) + 1;
    return counts;
  }, {});

export function pick<T extends object, K extends keyof T>(value: T, ...keys: K[]): Pick<T, K> {
  const result = {} as Pick<T, K>;
  for (const key of keys) if (key in value) result[key] = value[key];
  return result;
}

export const config = {
  retries: Number(process.env.RETRIES ?? 3),
  backoff: (attempt: number) => Math.min(1000 * 2 ** attempt, 30_000),
  endpoint: process.env.ENDPOINT?.trim() || 'https://example.invalid/api',
} as const satisfies Record<string, unknown>;
`;

/** A TSX module: components, hooks, props types, fragments, spread and conditional rendering. */
export const TSX_SAMPLE = `
import React, { useEffect, useMemo, useState, type ReactNode } from 'react';

interface Todo { id: number; title: string; done: boolean; tags?: string[] }
type Filter = 'all' | 'open' | 'done';

const matches = (filter: Filter) => (todo: Todo): boolean =>
  filter === 'all' ? true : filter === 'done' ? todo.done : !todo.done;

export function Badge({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'warn' }) {
  return <span className={\`badge badge-\${tone}\`}>{children}</span>;
}

export default function TodoList({ initial, onChange }: { initial: Todo[]; onChange?: (todos: Todo[]) => void }) {
  const [todos, setTodos] = useState<Todo[]>(initial);
  const [filter, setFilter] = useState<Filter>('all');
  const visible = useMemo(() => todos.filter(matches(filter)), [todos, filter]);
  useEffect(() => onChange?.(todos), [todos, onChange]);
  const toggle = (id: number) => setTodos((list) => list.map((t) => (t.id === id ? { ...t, done: !t.done } : t)));
  return (
    <>
      <nav>
        {(['all', 'open', 'done'] as const).map((f) => (
          <button key={f} disabled={f === filter} onClick={() => setFilter(f)}>{f}</button>
        ))}
      </nav>
      <ul>
        {visible.map(({ id, title, done, tags = [] }) => (
          <li key={id} data-done={done} onClick={() => toggle(id)}>
            {done ? <s>{title}</s> : title}
            {tags.length > 0 && tags.map((tag) => <Badge key={tag} tone={tag === 'urgent' ? 'warn' : 'info'}>{tag}</Badge>)}
          </li>
        ))}
      </ul>
      {visible.length === 0 ? <p>Nothing here.</p> : <p>{visible.length} of {todos.length}</p>}
    </>
  );
}
`;
