// Builds the explorer into api/static/ (served by the API at /, /docs, /redoc) and the graph-library
// benchmark bundles into dist-bench/ (bench/explorer.py). Run by `make install` after `npm ci`.
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "api", "static");
const modules = join(here, "node_modules");
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "vendor"), { recursive: true });

const common = { bundle: true, minify: true, target: "es2020", logLevel: "warning", legalComments: "eof" };
await build({ ...common, entryPoints: [join(here, "src", "main.js")], format: "iife", outfile: join(out, "app.js") });
await build({ ...common, entryPoints: [join(here, "src", "style.css")], outfile: join(out, "app.css") });
for (const page of ["index.html", "docs.html", "redoc.html", "docs.js", "redoc.js"]) {
  cpSync(join(here, "src", "pages", page), join(out, page));
}
for (const [pkg, file] of [
  ["swagger-ui-dist", "swagger-ui-bundle.js"],
  ["swagger-ui-dist", "swagger-ui.css"],
  ["redoc", "bundles/redoc.standalone.js"],
]) {
  cpSync(join(modules, pkg, file), join(out, "vendor", file.split("/").pop()));
}
for (const lib of ["cytoscape", "sigma"]) {
  await build({
    ...common,
    entryPoints: [join(here, "src", "bench", `${lib}.js`)],
    format: "iife",
    outfile: join(here, "dist-bench", `${lib}.js`),
  });
}
