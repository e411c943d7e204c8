// The fingerprint of what `react-router build` reads: the app's sources, static files, the
// lockfile and the build configuration. The build writes it into build/; `npm start` compares
// it with the sources and rebuilds when they changed (after a `git pull`, for instance).
// Plain JavaScript, because server.js imports it before anything is compiled.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const inputs = [
  "app",
  "public",
  "package.json",
  "package-lock.json",
  "react-router.config.ts",
  "vite.config.ts",
  "tsconfig.json",
];

function filesOf(root, entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((dirent) => dirent.isFile())
    .map((dirent) => path.relative(root, path.join(dirent.parentPath, dirent.name)));
}

/** A hash of every input file's path and contents. */
export function sourceFingerprint(root = ".") {
  const hash = createHash("sha256");
  const files = inputs.flatMap((entry) => filesOf(root, entry)).sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

const stampPath = (root) => path.join(root, "build", "source-fingerprint");

export function writeBuildStamp(root = ".") {
  writeFileSync(stampPath(root), `${sourceFingerprint(root)}\n`);
}

/** The build in build/ was made from the sources as they are now. */
export function isBuildCurrent(root = ".") {
  if (!existsSync(path.join(root, "build", "server", "index.js"))) return false;
  if (!existsSync(stampPath(root))) return false;
  return readFileSync(stampPath(root), "utf8").trim() === sourceFingerprint(root);
}
