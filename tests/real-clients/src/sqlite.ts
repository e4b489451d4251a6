// sqlite-wasm (SQLite compiled by Emscripten, @sqlite.org/sqlite-wasm): an in-memory database
// filled with a few thousand rows through prepared statements, then aggregates, a join, a
// window function and an indexed range query — the engine runs the SQLite VM, the B-tree, the
// page cache, malloc and libc's number formatting.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installBrowserGlobals } from './browser-globals.ts';
import type { ClientSession, RealClient } from './client.ts';
import { packageDirectory, packageFile } from './package-files.ts';

const CUSTOMERS = 400;
const ORDERS = 4000;
const REGIONS = ['north', 'south', 'east', 'west', 'central'];

interface Statement {
  bind(values: unknown[]): Statement;
  stepReset(): Statement;
  finalize(): void;
}

interface Database {
  exec(options: { sql: string; rowMode?: 'array'; resultRows?: unknown[][] }): void;
  exec(sql: string): void;
  prepare(sql: string): Statement;
  close(): void;
}

interface Sqlite3 {
  readonly oo1: { DB: new (filename: string) => Database };
  readonly version: { readonly libVersion: string };
}

type InitModule = (options: { wasmBinary: Uint8Array; print: (text: string) => void; printErr: (text: string) => void }) => Promise<Sqlite3>;

const QUERIES: Record<string, string> = {
  totals: 'SELECT count(*), sum(quantity), round(sum(amount), 2), min(amount), max(amount), round(avg(amount), 6) FROM orders',
  byRegion:
    'SELECT c.region, count(*), sum(o.quantity), round(sum(o.amount), 2), round(avg(o.amount), 6) FROM orders o JOIN customers c ON c.id = o.customer GROUP BY c.region ORDER BY c.region',
  topCustomers:
    'SELECT c.name, count(o.id) AS n, round(coalesce(sum(o.amount), 0), 2) AS total FROM customers c LEFT JOIN orders o ON o.customer = c.id GROUP BY c.id ORDER BY total DESC, c.id LIMIT 12',
  idle: 'SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer = c.id)',
  movingAverage:
    "SELECT day, printf('%.3f', avg(total) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)) FROM (SELECT day, sum(amount) AS total FROM orders GROUP BY day) ORDER BY day LIMIT 40",
  range: 'SELECT count(*), group_concat(id, \',\') FROM (SELECT id FROM orders WHERE amount BETWEEN 100 AND 101.5 ORDER BY id)',
  text: "SELECT upper(substr(name, 1, 3)) || '-' || length(name), hex(name) FROM customers WHERE id % 97 = 0 ORDER BY id",
};

/** xorshift32: the same rows on every engine and every run. */
function generator(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

function fill(db: Database): void {
  db.exec('CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT NOT NULL, region TEXT NOT NULL)');
  db.exec('CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER NOT NULL REFERENCES customers(id), amount REAL NOT NULL, quantity INTEGER NOT NULL, day INTEGER NOT NULL)');
  const next = generator(20230322);
  db.exec('BEGIN');
  const customer = db.prepare('INSERT INTO customers(id, name, region) VALUES (?, ?, ?)');
  for (let id = 1; id <= CUSTOMERS; id++) {
    customer.bind([id, `customer-${(next() % 100000).toString(36)}-${id}`, REGIONS[next() % REGIONS.length]]).stepReset();
  }
  customer.finalize();
  const order = db.prepare('INSERT INTO orders(id, customer, amount, quantity, day) VALUES (?, ?, ?, ?, ?)');
  for (let id = 1; id <= ORDERS; id++) {
    // A fifth of the customers (ids above CUSTOMERS * 4 / 5 that the modulus skips) order nothing.
    order.bind([id, 1 + (next() % ((CUSTOMERS * 4) / 5)), (next() % 50000) / 100, 1 + (next() % 9), next() % 365]).stepReset();
  }
  order.finalize();
  db.exec('COMMIT');
  db.exec('CREATE INDEX orders_amount ON orders(amount)');
}

async function load(): Promise<ClientSession> {
  const root = packageDirectory('@sqlite.org/sqlite-wasm');
  // The package is built for browsers: it reads `self.location` when it loads.
  installBrowserGlobals(pathToFileURL(join(root, 'sqlite-wasm/jswasm/sqlite3.mjs')));
  // A computed specifier: the package ships no types, and bundles of this file import it from
  // wherever they run rather than inline it.
  const specifier = '@sqlite.org/sqlite-wasm';
  const { default: init } = (await import(specifier)) as { default: InitModule };
  const messages: string[] = [];
  const sqlite3 = await init({
    wasmBinary: packageFile('@sqlite.org/sqlite-wasm', 'sqlite-wasm/jswasm/sqlite3.wasm'),
    print: (text) => messages.push(text),
    printErr: (text) => messages.push(text),
  });
  return {
    async run() {
      const db = new sqlite3.oo1.DB(':memory:');
      try {
        fill(db);
        const results: Record<string, unknown[][]> = {};
        for (const [name, sql] of Object.entries(QUERIES)) {
          const rows: unknown[][] = [];
          db.exec({ sql, rowMode: 'array', resultRows: rows });
          results[name] = rows;
        }
        return { version: sqlite3.version.libVersion, ...results };
      } finally {
        db.close();
      }
    },
  };
}

export const sqliteClient: RealClient = { name: 'sqlite', origin: 'C, Emscripten (@sqlite.org/sqlite-wasm 3.41.2)', load };
