import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';

/** Where photo bytes live. Keys are relative, slash-separated paths made by the photos service. */
export interface PhotoStorage {
  put(key: string, data: Buffer): Promise<void>;
  /** The bytes, or null when nothing is stored under the key. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the bytes: true when there were some; removing a missing key is not an error (false). */
  remove(key: string): Promise<boolean>;
}

export const PHOTO_STORAGE = Symbol('PHOTO_STORAGE');

// Lower-case segments of letters, digits, '-', '_' and '.', never starting with a dot:
// no "..", no absolute paths, no hidden files (temp files start with a dot).
const KEY = /^[a-z0-9][a-z0-9_.-]*(\/[a-z0-9][a-z0-9_.-]*)*$/;

/** Photos are personal information: only the server's own user may read them (files 0600, directories 0700). */
export const PHOTO_FILE_MODE = 0o600;
export const PHOTO_DIR_MODE = 0o700;

/** Files under one directory. A file appears under its key complete or not at all. */
export class LocalDiskStorage implements PhotoStorage {
  private rootReady: Promise<void> | null = null;

  constructor(readonly root: string) {}

  async put(key: string, data: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await this.ensureRoot();
    await mkdir(dirname(path), { recursive: true, mode: PHOTO_DIR_MODE });
    // Written beside the target and renamed into place (atomic on one file system),
    // so a crash or a failed write never leaves a half-written photo under the key.
    const tmp = join(dirname(path), `.${randomBytes(8).toString('hex')}.tmp`);
    try {
      const fh = await open(tmp, 'wx', PHOTO_FILE_MODE);
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, path);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async remove(key: string): Promise<boolean> {
    try {
      await unlink(this.pathOf(key));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  /**
   * The root is closed to other users once per process, also when an older
   * version created it (and its month directories) more open: nobody else can
   * then reach anything below it.
   */
  private ensureRoot(): Promise<void> {
    this.rootReady ??= (async () => {
      await mkdir(this.root, { recursive: true, mode: PHOTO_DIR_MODE });
      await chmod(this.root, PHOTO_DIR_MODE);
    })().catch((e: unknown) => {
      this.rootReady = null;
      throw e;
    });
    return this.rootReady;
  }

  private pathOf(key: string): string {
    if (!KEY.test(key) || key.length > 200) throw new Error(`invalid storage key "${key.slice(0, 60)}"`);
    return join(this.root, key.split('/').join(sep));
  }
}
