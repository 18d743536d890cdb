#!/bin/bash
# ctest: labels=scripts timeout=120
# A skipped test fails the run unless tests/skip-allowlist.txt allows it:
# - every ctest entry of this build, except allow-listed ones, fails on Qt Test's skip line;
# - ctest itself turns such a skip into a failure (a throwaway project shows it);
# - scripts/test-summary.sh names passed, skipped and failed tests, fails a skip the list
#   does not allow (also one only Qt Test's Totals line reveals), and closes with
#   "N passed, N failed, N skipped".
set -uo pipefail

src=${BOX_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
build=${BOX_BUILD_DIR:-$src/build}
tmp=$(mktemp -d /tmp/bctest-skippolicy.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# 1. This build's tests: the fail-on-skip property on every entry the list does not name.
allowed=$(sed -E '/^[[:space:]]*(#|$)/d; s/[[:space:]].*//; s/::.*//' "$src/tests/skip-allowlist.txt" | sort -u)
ctest --test-dir "$build" --show-only=json-v1 >"$tmp/tests.json" 2>"$tmp/ctest.err"
check "ctest lists this build's tests" test -s "$tmp/tests.json"
missing=$(python3 - "$tmp/tests.json" "$allowed" <<'EOF'
import json, sys
allowed = set(sys.argv[2].split())
tests = json.load(open(sys.argv[1]))["tests"]
for t in tests:
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    fails_on_skip = "SKIP   : " in props.get("FAIL_REGULAR_EXPRESSION", [])
    if t["name"] not in allowed and not fails_on_skip:
        print(t["name"])
    if t["name"] in allowed and fails_on_skip:
        print(t["name"] + " (allow-listed, yet fails on skip)")
print("COUNT", len(tests))
EOF
)
count=$(sed -n 's/^COUNT //p' <<<"$missing")
missing=$(sed '/^COUNT /d' <<<"$missing")
check "more than 50 tests registered ($count)" [ "${count:-0}" -gt 50 ]
check "every test not on the allow-list fails on a skip${missing:+ (not: $missing)}" [ -z "$missing" ]

# 2. ctest with that property: a skip fails the test and the run.
mkdir -p "$tmp/proj"
cat >"$tmp/proj/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.20)
project(skipcheck NONE)
enable_testing()
add_test(NAME skips COMMAND sh -c "echo 'SKIP   : tst_X::f() no tool'; echo 'Totals: 1 passed, 0 failed, 1 skipped, 0 blacklisted, 1ms'")
set_tests_properties(skips PROPERTIES FAIL_REGULAR_EXPRESSION "SKIP   : ")
add_test(NAME passes COMMAND sh -c "echo 'PASS   : tst_X::f()'")
set_tests_properties(passes PROPERTIES FAIL_REGULAR_EXPRESSION "SKIP   : ")
EOF
cmake -S "$tmp/proj" -B "$tmp/proj/b" >/dev/null 2>&1
ctest --test-dir "$tmp/proj/b" >"$tmp/proj.out" 2>&1
rc=$?
check "ctest fails a run with a skip" [ "$rc" -ne 0 ]
check "ctest names the skipping test as failed" grep -qE "skips .*\*\*\*Failed +Error regular expression found" "$tmp/proj.out"
check "ctest passes the test without a skip" grep -qE "passes .* Passed" "$tmp/proj.out"

# 3. The summary, from a made-up ctest console log and test output.
cat >"$tmp/allow.txt" <<'EOF'
# comment
t_allowed             its tool does not exist on Debian 12
t_fnallowed::onlyThis one function that needs a display
EOF
cat >"$tmp/console.log" <<'EOF'
      Start 1: t_pass
1/7 Test #1: t_pass ...........................   Passed    0.01 sec
2/7 Test #2: t_allowed ........................   Passed    0.01 sec
3/7 Test #3: t_fnallowed ......................   Passed    0.01 sec
4/7 Test #4: t_fnother ........................   Passed    0.01 sec
5/7 Test #5: t_unallowed ......................***Failed  Error regular expression found. Regex=[SKIP   : ]  0.01 sec
6/7 Test #6: t_fail ...........................***Failed    0.01 sec
7/7 Test #7: t_totals .........................   Passed    0.01 sec
EOF
block() { # name, output lines...
    local name=$1
    shift
    printf '1/7 Testing: %s\n1/7 Test: %s\nCommand: "x"\nOutput:\n----------\n' "$name" "$name"
    printf '%s\n' "$@"
    printf '<end of output>\nTest time =   0.01 sec\n----------\nTest Passed.\n"%s" end time: now\n' "$name"
}
{
    block t_pass "PASS   : tst_P::a()" "Totals: 3 passed, 0 failed, 0 skipped, 0 blacklisted, 1ms"
    block t_allowed "SKIP   : tst_A::initTestCase() tool missing" "Totals: 1 passed, 0 failed, 1 skipped, 0 blacklisted, 1ms"
    block t_fnallowed "SKIP   : tst_F::onlyThis() no display" "Totals: 2 passed, 0 failed, 1 skipped, 0 blacklisted, 1ms"
    block t_fnother "SKIP   : tst_G::somethingElse() no display" "Totals: 2 passed, 0 failed, 1 skipped, 0 blacklisted, 1ms"
    block t_unallowed "SKIP   : tst_U::initTestCase() prism not found" "Totals: 1 passed, 0 failed, 1 skipped, 0 blacklisted, 1ms"
    block t_fail "FAIL!  : tst_F::a() boom" "Totals: 1 passed, 1 failed, 0 skipped, 0 blacklisted, 1ms"
    block t_totals "Totals: 1 passed, 0 failed, 2 skipped, 0 blacklisted, 1ms"
} >"$tmp/output.log"
out=$(BOX_SKIP_ALLOWLIST="$tmp/allow.txt" bash "$src/scripts/test-summary.sh" "$tmp/console.log" "$tmp/output.log" 2>&1)
rc=$?
echo "$out" | sed 's/^/    | /'
check "summary fails the run" [ "$rc" -ne 0 ]
check "closing line" [ "$(tail -n 1 <<<"$out")" = "1 passed, 4 failed, 2 skipped" ]
section() { sed -n "/^$1 (/,/^[a-z]* (/p" <<<"$out"; }
check "t_pass passed" grep -q "t_pass" <(section passed)
check "t_allowed skipped with its reason" grep -q "t_allowed: tst_A::initTestCase() tool missing" <(section skipped)
check "t_fnallowed skipped (its function is listed)" grep -q "t_fnallowed: tst_F::onlyThis()" <(section skipped)
check "t_fnother failed (another function of it skipped)" grep -q "t_fnother (skipped, not on" <(section failed)
check "t_unallowed failed, with its skip" grep -q "t_unallowed (skipped, not on .*prism not found" <(section failed)
check "t_fail failed" grep -qx "  t_fail" <(section failed)
check "t_totals failed (skips only Totals shows)" grep -q "t_totals (skipped, not on .*Totals: 2 skipped" <(section failed)

# Only allowed skips: the run passes.
head -n 3 "$tmp/console.log" >"$tmp/console-ok.log"
sed -n '/Test: t_pass$/,/"t_allowed" end time/p' "$tmp/output.log" >"$tmp/output-ok.log"
out=$(BOX_SKIP_ALLOWLIST="$tmp/allow.txt" bash "$src/scripts/test-summary.sh" "$tmp/console-ok.log" "$tmp/output-ok.log" 2>&1)
rc=$?
check "allowed skips only: the run passes" [ "$rc" -eq 0 ]
check "allowed skips only: closing line" [ "$(tail -n 1 <<<"$out")" = "1 passed, 0 failed, 1 skipped" ]

# An entry without a reason is refused.
echo "t_pass" >>"$tmp/allow.txt"
BOX_SKIP_ALLOWLIST="$tmp/allow.txt" bash "$src/scripts/test-summary.sh" "$tmp/console-ok.log" "$tmp/output-ok.log" >/dev/null 2>&1
check "an allow-list entry without a reason fails the run" [ $? -ne 0 ]

totals
