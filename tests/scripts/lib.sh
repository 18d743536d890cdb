# Sourced by the shell tests: Qt Test-style PASS/FAIL lines and the closing Totals line that
# scripts/test-summary.sh reads.
passed=0 failed=0
check() { # name, then a command that must succeed
    local name=$1
    shift
    if "$@"; then
        echo "PASS   : $name"
        passed=$((passed + 1))
    else
        echo "FAIL!  : $name"
        failed=$((failed + 1))
    fi
}

totals() { # the last command of a test: its exit status is the test's
    echo "Totals: $passed passed, $failed failed, 0 skipped"
    [ "$failed" -eq 0 ]
}
