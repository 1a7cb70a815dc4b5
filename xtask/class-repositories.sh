#!/usr/bin/env bash
# The student repositories a class workflow grades, as a JSON array of "owner/name"
# (the matrix of .github/workflows/grade-class.yml), on stdout.
#
#   REPOSITORIES="org/a-alice org/a-bob"  xtask/class-repositories.sh    a list (spaces or lines)
#   ORGANIZATION=org PREFIX=a-  xtask/class-repositories.sh              every repository of
#        the organisation whose name starts with PREFIX (GitHub Classroom names an
#        assignment's repositories <assignment>-<username>), through `gh api` (GH_TOKEN).
#
# Each name must be owner/name in GitHub's characters, the names (the part after the
# owner, each student's folder and row) must differ, and a matrix holds at most 256 jobs.
set -euo pipefail
max=256
if [ -n "${REPOSITORIES:-}" ]; then
  names=$(printf '%s\n' "$REPOSITORIES" | tr -s ' \t' '\n' | sed '/^$/d')
elif [ -n "${ORGANIZATION:-}" ]; then
  prefix=${PREFIX:-}
  names=$(gh api --paginate "orgs/$ORGANIZATION/repos?per_page=100" --jq '.[].full_name' |
    awk -v prefix="$prefix" '{ name = substr($0, index($0, "/") + 1) }
      index(name, prefix) == 1 { print }')
else
  echo "set REPOSITORIES, or ORGANIZATION (and PREFIX)" >&2
  exit 2
fi
names=$(printf '%s\n' "$names" | sed '/^$/d' | sort -u)
if [ -z "$names" ]; then
  echo "no student repository found" >&2
  exit 1
fi
bad=$(printf '%s\n' "$names" | grep -Ev '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$' || true)
if [ -n "$bad" ]; then
  echo "not owner/name: $bad" >&2
  exit 1
fi
twice=$(printf '%s\n' "$names" | sed 's|.*/||' | sort | uniq -d)
if [ -n "$twice" ]; then
  echo "two repositories share the name $twice (a student's folder and row)" >&2
  exit 1
fi
count=$(printf '%s\n' "$names" | wc -l)
if [ "$count" -gt "$max" ]; then
  echo "$count repositories: a matrix runs at most $max jobs (split the class)" >&2
  exit 1
fi
printf '%s\n' "$names" | jq -R . | jq -sc .
