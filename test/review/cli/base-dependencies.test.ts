import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { baseDependencies, lockfileHash } from "../../../src/review/cli/base-dependencies.js";

/**
 * A project directory with a package.json and a lockfile of no dependencies (npm ci needs no
 * network); its postinstall script, which npm ci runs, leaves a file behind as proof of the install.
 */
function project(dir: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  const postinstall = `node -e "require('fs').writeFileSync('installed-by-npm-ci', '${version}')"`;
  const pkg = { name: "base-deps-fixture", version, private: true, scripts: { postinstall } };
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg));
  writeFileSync(
    join(dir, "package-lock.json"),
    JSON.stringify({ name: pkg.name, version, lockfileVersion: 3, requires: true, packages: { "": pkg } }),
  );
  return dir;
}

const temp = mkdtempSync(join(tmpdir(), "gpu-campus-base-deps-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const cacheDir = join(temp, "cache");
const root = project(join(temp, "root"), "1.0.0");

describe("baseDependencies", () => {
  it("GIVEN the base's lockfile equals the working tree's THEN the working tree's node_modules is reused, nothing installed", async () => {
    const same = project(join(temp, "same"), "1.0.0");
    expect(await baseDependencies(root, same, { cacheDir })).toEqual({
      nodeModules: join(root, "node_modules"),
      source: "working tree",
    });
    expect(existsSync(cacheDir)).toBe(false);
  });

  it("GIVEN a different lockfile WHEN first diffed THEN npm ci installs it into the cache keyed by its hash; AND the next diff reuses it", async () => {
    const bumped = project(join(temp, "bumped"), "2.0.0");
    const hash = lockfileHash(bumped);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const first = await baseDependencies(root, bumped, { cacheDir });
    expect(first).toEqual({
      nodeModules: join(cacheDir, "node-modules", String(hash), "node_modules"),
      source: "npm ci",
    });
    // The postinstall of the base's package.json ran in the cache entry: npm ci really installed it.
    expect(readFileSync(join(first.nodeModules, "..", "installed-by-npm-ci"), "utf8")).toBe("2.0.0");
    expect(await baseDependencies(root, bumped, { cacheDir })).toEqual({ ...first, source: "cache" });
  }, 120_000);

  it("GIVEN a lockfile npm ci refuses (out of sync with package.json) THEN the error says so and no cache entry is left", async () => {
    const broken = project(join(temp, "broken"), "3.0.0");
    writeFileSync(
      join(broken, "package.json"),
      JSON.stringify({ name: "x", version: "3.0.0", dependencies: { zod: "4.0.0" } }),
    );
    await expect(baseDependencies(root, broken, { cacheDir })).rejects.toThrow(
      "npm ci of the base ref's lockfile failed",
    );
    expect(existsSync(join(cacheDir, "node-modules", String(lockfileHash(broken))))).toBe(false);
  }, 120_000);
});
