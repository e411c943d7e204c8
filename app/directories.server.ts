import { mkdirSync } from "node:fs";

/** Why a directory cannot be made, in words ("a file is in the way"), from Node's error. */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case "EEXIST":
    case "ENOTDIR":
      return "a file is in the way";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "the file system is read-only";
    case "ENOSPC":
      return "the disk is full";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** Makes `dir` and its parents; throws an Error whose message names the path and the reason. */
export function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    // The message says it all; a cause would make describeDatabaseError report Node's instead.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`cannot create ${dir}: ${describeFileError(error)}`);
  }
}
