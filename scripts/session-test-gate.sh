#!/usr/bin/env bash
# SESSION-ONLY (removed before the milestone ends): eight engineers share a 2-core machine, so in a
# worktree under /work/wt/ `npm test` runs the test files a branch touched or that sit beside the
# source it touched; the coordinator runs the whole suite on main. Everywhere else (CI, a clone, a
# user) and with FULL=1 it runs the whole suite.
set -uo pipefail
envf=(); [ -f test/test.env ] && envf=(--env-file=test/test.env)
case "$PWD" in
  /work/wt/*) ;;
  *) exec node "${envf[@]}" --test dist/test/ ;;
esac
[ "${FULL:-}" = 1 ] && exec node "${envf[@]}" --test dist/test/
changed=$( { git diff --name-only main...HEAD; git diff --name-only HEAD; git ls-files --others --exclude-standard; } | sort -u)
dirs=()
add() { for d in "$@"; do [ -e "dist/$d" ] && dirs+=("dist/$d"); done; }
while read -r f; do
  case "$f" in
    test/*.test.ts) add "${f%.ts}.js" ;;
    src/emulator/services/*) svc=${f#src/emulator/services/}; svc=${svc%%/*}; for d in test/emulator/"$svc"*; do add "$d"; done ;;
    src/emulator/*) add test/emulator/protocols; for t in test/emulator/*.test.ts; do add "${t%.ts}.js"; done ;;
    src/targets/*|src/template/*) add test/targets test/template test/cli ;;
    src/lab/*|src/steps/*|src/io/*|templates/*|sam-app/*) add test/lab test/io test/steps ;;
    src/loadtest/*) add test/loadtest ;;
    src/cli.ts|src/commands/*) add test/cli ;;
  esac
done <<< "$changed"
add test/cli/startup.test.js
mapfile -t uniq < <(printf '%s\n' "${dirs[@]}" | sort -u)
echo "session gate: ${#uniq[@]} test paths for this branch's changes (FULL=1 npm test runs everything): ${uniq[*]}"
exec node "${envf[@]}" --test "${uniq[@]}"
