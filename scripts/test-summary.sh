#!/usr/bin/env bash
# The closing summary of scripts/test.sh, from what ctest printed and from every test's
# whole output (ctest's LastTest.log of each run, concatenated):
#   test-summary.sh CTEST_CONSOLE_LOG TEST_OUTPUT_LOG [FUZZ_PASSED FUZZ_FAILED]
# Prints the passed, skipped and failed tests by name, then one closing line
# "N passed, N failed, N skipped". Exits 1 when a test failed, when a test skipped without
# an entry in tests/skip-allowlist.txt (BOX_SKIP_ALLOWLIST), or when no test ran.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
log=$1
testlog=$2
fuzz_passed=${3:-0}
fuzz_failed=${4:-0}
status=0

# Summary by name. A test is failed when ctest says so (ctest fails a test that printed
# Qt Test's "SKIP   :" unless tests/skip-allowlist.txt names it), and also when any of its
# functions skipped without an allow-list entry for the test or for that function.
allowlist=${BOX_SKIP_ALLOWLIST:-tests/skip-allowlist.txt}
allowed=$(sed -E '/^[[:space:]]*(#|$)/d' "$allowlist" 2>/dev/null || true)
if [ -n "$allowed" ] && grep -qvE '^[A-Za-z0-9_]+(::[A-Za-z0-9_]+)?[[:space:]]+[^[:space:]]' <<<"$allowed"; then
    echo "$allowlist: every entry needs a test name and a reason" >&2
    status=1
fi
allowed_names=$(awk '{ print $1 }' <<<"$allowed")
# "<name> <status>" per test from ctest's progress lines.
results=$(awk '/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: / {
        st = "failed"
        if ($0 ~ / Passed +[0-9.]+ sec/) st = "passed"
        else if ($0 ~ /\*\*\*Skipped/) st = "skipped"
        print $4, st }' "$log")
# "<name>\t<function>\t<Qt Test's skip line>" per skip, from every test's output; a
# test whose Totals line counts skips that no SKIP line shows is listed with function "?".
skips=$(awk '
    /^[0-9]+\/[0-9]+ Test: / { name = $3; seen = 0; next }
    /^SKIP   : / {
        fn = $0; sub(/^SKIP   : [^:]*::/, "", fn); sub(/\(.*/, "", fn)
        line = $0; sub(/^SKIP   : /, "", line)
        print name "\t" fn "\t" line; seen = 1; next }
    /^Totals: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped/ {
        n = $0; sub(/^Totals: [0-9]+ passed, [0-9]+ failed, /, "", n); sub(/ skipped.*/, "", n)
        if (n + 0 > 0 && !seen) print name "\t?\tTotals: " n " skipped" }' "$testlog")
is_allowed() { # name function
    grep -qxF -e "$1" -e "$1::$2" <<<"$allowed_names"
}
declare -A state why
while read -r name st; do
    [ -n "$name" ] && state[$name]=$st
done <<<"$results"
while IFS=$'\t' read -r name fn line; do
    [ -n "$name" ] || continue
    if is_allowed "$name" "$fn"; then
        [ "${state[$name]:-}" = failed ] || state[$name]=skipped
        why[$name]="${why[$name]:+${why[$name]}; }$line"
    else
        state[$name]=failed
        why[$name]="${why[$name]:+${why[$name]}; }skipped, not on $allowlist: $line"
    fi
done <<<"$skips"
for entry in $allowed_names; do
    case ${state[${entry%%::*}]:-} in
        '') echo "$allowlist: '$entry' names no test of this run; remove it if it is gone" >&2 ;;
        passed) echo "$allowlist: '$entry' did not skip in this run; remove it if it never does" >&2 ;;
    esac
done
passed_names=() failed_names=() skipped_names=()
for name in $(printf '%s\n' "${!state[@]}" | sort); do
    case ${state[$name]} in
        passed) passed_names+=("$name") ;;
        # A ctest skip that no allow-list entry covers (e.g. a skip return code).
        skipped) if is_allowed "$name" "?" || [ -n "${why[$name]:-}" ]; then skipped_names+=("$name")
                 else failed_names+=("$name"); why[$name]="skipped, not on $allowlist"; fi ;;
        *) failed_names+=("$name") ;;
    esac
done
passed=$(( ${#passed_names[@]} + fuzz_passed ))
failed=$(( ${#failed_names[@]} + fuzz_failed ))
skipped=${#skipped_names[@]}
[ "$failed" -eq 0 ] || status=1
echo "passed (${#passed_names[@]}):"
[ ${#passed_names[@]} -eq 0 ] || printf '%s\n' "${passed_names[@]}" | paste -sd' ' | fold -sw 100 | sed 's/ *$//; s/^/  /'
echo "skipped (${#skipped_names[@]}, allowed by $allowlist):"
for name in "${skipped_names[@]}"; do echo "  $name: ${why[$name]:-}"; done
echo "failed (${#failed_names[@]}):"
for name in "${failed_names[@]}"; do echo "  $name${why[$name]:+ (${why[$name]})}"; done
[ "$fuzz_failed" -eq 0 ] || echo "  $fuzz_failed fuzz or sanitizer run(s), see above"
[ "$passed" -gt 0 ] || { echo "no test ran" >&2; status=1; }
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
