import { readFile } from 'node:fs/promises';
import pg from 'pg';

/** A new, empty database on the machine's PostgreSQL, for one benchmark run. */
export async function freshDatabase(prefix: string): Promise<string> {
  const name = `${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return `postgres://postgres@127.0.0.1:5432/${name}`;
}

/** The pids of a process and all of its descendants (tsx runs node as a child). */
export async function processTree(pid: number): Promise<number[]> {
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim();
  const nested = await Promise.all(children.split(/\s+/).filter(Boolean).map((c) => processTree(Number(c))));
  return [pid, ...nested.flat()];
}

/** Resident memory of a process tree, in MB. */
export async function rssMb(pid: number): Promise<number> {
  let kb = 0;
  for (const member of await processTree(pid)) {
    const status = await readFile(`/proc/${member}/status`, 'utf8').catch(() => '');
    kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return Math.round(kb / 1024);
}
