// First-load JavaScript of a React Router build, per page: what a browser fetches on a first
// visit (the HTML modulepreloads exactly these), read from the build's route manifest and
// gzipped here. Chunks loaded later with import() are not counted.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** One row per page: gzip bytes of the entry, the framework chunks and the route chunks. */
export function firstLoadJs(clientDir) {
  const assets = path.join(clientDir, "assets");
  const manifestFile = readdirSync(assets).find((name) => /^manifest-.*\.js$/.test(name));
  const source = readFileSync(path.join(assets, manifestFile), "utf8");
  // The file is `window.__reactRouterManifest={…};`.
  const manifest = JSON.parse(source.slice(source.indexOf("=") + 1).replace(/;\s*$/, ""));

  const sizes = new Map();
  const gzipBytes = (url) => {
    if (!sizes.has(url)) sizes.set(url, gzipSync(readFileSync(path.join(clientDir, url))).length);
    return sizes.get(url);
  };
  const sum = (urls) => [...new Set(urls)].reduce((total, url) => total + gzipBytes(url), 0);

  const entry = [`/assets/${manifestFile}`, manifest.entry.module];
  const framework = manifest.entry.imports;
  const routes = Object.values(manifest.routes);
  const parents = new Set(routes.map((route) => route.parentId));
  return (
    routes
      // Resource routes (a loader or an action only, such as /logout) render no page.
      .filter((route) => !parents.has(route.id) && route.hasDefaultExport)
      .map((route) => {
        const chain = [];
        for (let r = route; r; r = manifest.routes[r.parentId]) chain.unshift(r);
        const routeChunks = chain
          .flatMap((r) => [r.module, ...(r.imports ?? [])])
          .filter((url) => !entry.includes(url) && !framework.includes(url));
        return {
          page: `/${chain
            .map((r) => r.path)
            .filter(Boolean)
            .join("/")}`,
          entry: sum(entry),
          framework: sum(framework),
          routes: sum(routeChunks),
          total: sum([...entry, ...framework, ...routeChunks]),
        };
      })
      .sort((a, b) => a.page.localeCompare(b.page))
  );
}
