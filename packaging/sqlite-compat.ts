// The packaged agent's SQLite driver: the part of better-sqlite3's API the agent uses (the outbox, its disk guard and
// the retry ledger), over the runtime's built-in node:sqlite. The bundle for the packages aliases 'better-sqlite3' to
// this module (packaging/bundle.ts), so the outbox's code, pragmas and transactions are the same in both: WAL with
// synchronous=FULL, one transaction per capture group, the capture acknowledged only after COMMIT returned (fsync).
// better-sqlite3's Windows binary is not on the npm registry; node:sqlite ships inside the runtime (Node ≥ 22.5).
import { createRequire } from 'node:module';

type Row = Record<string, unknown>;
type Param = null | number | bigint | string | Uint8Array;

// node:sqlite's classes, as far as used here (@types/node 20 does not describe the module).
interface StatementSync {
  run(...params: Param[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: Param[]): unknown;
  all(...params: Param[]): unknown[];
}
interface DatabaseSync {
  prepare(sql: string): StatementSync;
  exec(sql: string): void;
  close(): void;
}

// Loaded through require at run time: Node 20 (the source tree's runtime) has no node:sqlite, and only the packaged
// runtime ever constructs this class.
function openNative(path: string, readonly: boolean): DatabaseSync {
  const require = createRequire(import.meta.url);
  const sqlite = require('node:sqlite') as { DatabaseSync: new (path: string, o: { readOnly: boolean }) => DatabaseSync };
  return new sqlite.DatabaseSync(path, { readOnly: readonly });
}

/** A prepared statement with better-sqlite3's run/get/all/pluck. */
export class Statement {
  private plucked = false;
  constructor(private readonly stmt: StatementSync) {}

  /** Runs the statement; returns the changes and the last row id. */
  run(...params: Param[]): { changes: number; lastInsertRowid: number | bigint } {
    const r = this.stmt.run(...params);
    return { changes: Number(r.changes), lastInsertRowid: r.lastInsertRowid };
  }

  /** The first row (or its first column when plucked), undefined when there is none. */
  get(...params: Param[]): unknown {
    const row = this.stmt.get(...params) as Row | undefined;
    if (row === undefined) return undefined;
    return this.plucked ? Object.values(row)[0] : { ...row };
  }

  /** Every row (or their first columns when plucked). */
  all(...params: Param[]): unknown[] {
    const rows = this.stmt.all(...params) as Row[];
    return rows.map((row) => (this.plucked ? Object.values(row)[0] : { ...row }));
  }

  /** Returns only the first column of each row from now on. */
  pluck(on = true): this {
    this.plucked = on;
    return this;
  }
}

/** better-sqlite3's Database, as far as the agent uses it. */
export default class Database {
  private readonly db: DatabaseSync;
  private depth = 0;
  private savepoints = 0;
  open = true;

  constructor(readonly name: string, options: { readonly?: boolean } = {}) {
    this.db = openNative(name, options.readonly === true);
  }

  /** Prepares a statement. */
  prepare(sql: string): Statement {
    return new Statement(this.db.prepare(sql));
  }

  /** Runs one or more statements without results. */
  exec(sql: string): this {
    this.db.exec(sql);
    return this;
  }

  /** Runs a pragma: its rows, or with `simple` the first column of the first row. */
  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const rows = this.db.prepare(`PRAGMA ${source}`).all() as Row[];
    if (options.simple) return rows.length > 0 ? Object.values(rows[0]!)[0] : undefined;
    return rows.map((r) => ({ ...r }));
  }

  /** True inside a transaction. */
  get inTransaction(): boolean {
    return this.depth > 0;
  }

  /** Wraps fn in a transaction (a savepoint when nested): committed when it returns, rolled back when it throws. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    return (...args: A): R => {
      const nested = this.depth > 0;
      const name = `sp${++this.savepoints}`;
      this.db.exec(nested ? `SAVEPOINT ${name}` : 'BEGIN');
      this.depth += 1;
      let result: R;
      try {
        result = fn(...args);
      } catch (err) {
        this.depth -= 1;
        this.rollback(nested, name);
        throw err;
      }
      this.depth -= 1;
      try {
        this.db.exec(nested ? `RELEASE ${name}` : 'COMMIT');
      } catch (err) {
        this.rollback(nested, name);
        throw err;
      }
      return result;
    };
  }

  // A failed COMMIT (disk full) may leave the transaction open: close it so the next write starts clean.
  private rollback(nested: boolean, name: string): void {
    try {
      this.db.exec(nested ? `ROLLBACK TO ${name}; RELEASE ${name}` : 'ROLLBACK');
    } catch {
      // SQLite already rolled it back (an I/O error ends the transaction by itself).
    }
  }

  /** Closes the file. */
  close(): this {
    if (this.open) {
      this.db.close();
      this.open = false;
    }
    return this;
  }
}
