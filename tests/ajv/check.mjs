// Checks capgap's JSON Schemas with a third-party validator: ajv 8 in strict
// draft-07 mode compiles the questionnaire schema (all sectors, and each sector's)
// and the model schema, accepts every example questionnaire and the valid
// fixtures, rejects every broken fixture, and accepts the built-in and the test
// models. YAML is read by the `yaml` package (YAML 1.2 core schema), as editors do.
// Usage: node tests/ajv/check.mjs path/to/capgap
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import YAML from "yaml";

const binary = process.argv[2];
if (!binary) {
  console.error("usage: node tests/ajv/check.mjs path/to/capgap");
  process.exit(2);
}
const root = new URL("../..", import.meta.url).pathname;
const capgap = (...args) => execFileSync(binary, args, { cwd: root, encoding: "utf8" });
const ajv = new Ajv({ strict: true, allErrors: true });
const compile = (args) => ajv.compile(JSON.parse(capgap("schema", ...args)));

const model = JSON.parse(capgap("model", "--format", "json"));
const any = compile(["questionnaire"]);
const bySector = Object.fromEntries(
  model.sectors.map((s) => [s.id, compile(["questionnaire", "--sector", s.id])]),
);
const modelSchema = compile(["model"]);

const yamlFiles = (dir) =>
  readdirSync(dir)
    .filter((name) => !name.startsWith("."))
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(name) ? [path] : [];
    });
const read = (path) => YAML.parse(readFileSync(path, "utf8"));

let failures = 0;
let checked = 0;
const expect = (path, validate, wanted) => {
  checked += 1;
  const ok = validate(read(path));
  if (ok !== wanted) {
    failures += 1;
    const why = ok ? "accepted" : ajv.errorsText(validate.errors);
    console.error(`${path}: expected ${wanted ? "valid" : "invalid"}, got ${why}`);
  }
};
const examples = yamlFiles(join(root, "questionnaires/examples"));
const valid = yamlFiles(join(root, "tests/testsuite/fixtures/schema/valid"));
const invalid = yamlFiles(join(root, "tests/testsuite/fixtures/schema/invalid"));
for (const path of [...examples, ...valid]) {
  expect(path, any, true);
  const sector = bySector[read(path).sector];
  if (sector) expect(path, sector, true);
}
for (const path of invalid) {
  expect(path, any, false);
}
// A sector's schema also rejects the other sector's practices.
for (const [id, validate] of Object.entries(bySector)) {
  for (const path of examples.filter((p) => read(p).sector !== id)) {
    expect(path, validate, false);
  }
}
expect(join(root, "questionnaires/model.yaml"), modelSchema, true);
expect(join(root, "tests/fixtures/mini-model.yaml"), modelSchema, true);
if (examples.length === 0 || invalid.length === 0) {
  console.error("no examples or broken files found");
  process.exit(1);
}
if (failures > 0) {
  console.error(`ajv (strict, draft-07): ${failures} of ${checked} checks failed`);
  process.exit(1);
}
console.log(`ajv (strict, draft-07): ${checked} checks passed`);
