import { join } from 'node:path';
import lockfile from 'proper-lockfile';

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `the data folder ${dataDir} is in use by another Junction process; ` +
        'stop that process or set JUNCTION_DATA_DIR to another folder',
    );
  }
}

/**
 * Takes an exclusive lock on the data folder. PGlite takes none itself, and two processes
 * writing one PGlite folder corrupt it. A crashed holder's lock goes stale within seconds.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: join(dataDir, 'junction.lock'),
      stale: 10_000,
      update: 2_000,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
    throw err;
  }
}
