import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Pool } from 'pg';

export interface PostgresSizes {
  readonly sessions: number;
  readonly users: number;
  /** pg_total_relation_size: the table, its indexes, TOAST and the free-space and visibility maps. */
  readonly sessionsTotalBytes: number;
  /** The heap alone (main fork): the rows and their page overhead. */
  readonly sessionsHeapBytes: number;
  /** The primary key (user_id, id) and sessions_expires_at. */
  readonly sessionsIndexBytes: number;
  /** What a row holds, header included: avg(pg_column_size(row)). */
  readonly sessionRowBytes: number;
  /** One row per user (the lock a login takes, the all-revoked mark) with its primary key. */
  readonly sessionOwnersTotalBytes: number;
  readonly usersTotalBytes: number;
}

interface SizesRow extends Record<string, unknown> {
  sessions: string;
  users: string;
  sessions_total: string;
  sessions_heap: string;
  sessions_indexes: string;
  session_row: string;
  owners_total: string;
  users_total: string;
}

/** After ANALYZE, with no dead rows yet: what the live sessions take. */
export async function postgresSizes(pool: Pool): Promise<PostgresSizes> {
  const { rows } = await pool.query<SizesRow>(`
SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM users) AS users,
       pg_total_relation_size('sessions') AS sessions_total, pg_relation_size('sessions') AS sessions_heap,
       pg_indexes_size('sessions') AS sessions_indexes, (SELECT avg(pg_column_size(s.*)) FROM sessions s) AS session_row,
       pg_total_relation_size('session_owners') AS owners_total, pg_total_relation_size('users') AS users_total`);
  const row = rows[0];
  return {
    sessions: Number(row.sessions),
    users: Number(row.users),
    sessionsTotalBytes: Number(row.sessions_total),
    sessionsHeapBytes: Number(row.sessions_heap),
    sessionsIndexBytes: Number(row.sessions_indexes),
    sessionRowBytes: Number(row.session_row),
    sessionOwnersTotalBytes: Number(row.owners_total),
    usersTotalBytes: Number(row.users_total),
  };
}

export interface PostgresCpuMeter {
  /** CPU time (user + system) the server has used so far, in µs: the postmaster, its live children, and those it reaped. */
  read(): Promise<number>;
}

/** utime, stime, cutime, cstime (in clock ticks) and the parent of one process, from /proc/<pid>/stat. */
function processTimes(pid: string): { readonly ppid: number; readonly own: number; readonly reaped: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
  // The fields after the command name, which is in parentheses and may hold spaces: state is field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(fields[n - 3]);
  return { ppid: field(4), own: field(14) + field(15), reaped: field(16) + field(17) };
}

/**
 * Every process of this PostgreSQL server (found from one backend's parent), read from
 * /proc: backends come and go, and a finished one's time moves to the postmaster's reaped
 * children, so the sum stays whole.
 */
export async function createPostgresCpuMeter(pool: Pool): Promise<PostgresCpuMeter> {
  const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const postmaster = processTimes(String(rows[0].pid))?.ppid;
  if (postmaster === undefined) throw new Error('the PostgreSQL backend is not visible in /proc');
  const microsPerTick = 1e6 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
  return {
    async read() {
      let ticks = 0;
      for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
        const times = processTimes(pid);
        if (Number(pid) === postmaster) ticks += (times?.own ?? 0) + (times?.reaped ?? 0);
        else if (times?.ppid === postmaster) ticks += times.own;
      }
      return ticks * microsPerTick;
    },
  };
}
