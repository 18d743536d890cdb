#!/bin/bash
# ctest: labels=packaging timeout=900
# What the build produces for users besides the programs: the box spec's JSON Schema (and
# that it agrees with the parser), the man page, bash and zsh completion, the desktop file
# and AppStream metadata, and a .deb with the right dependencies and files.
set -uo pipefail
src=${BOX_SOURCE_DIR:?}
build=${BOX_BUILD_DIR:?}
bin=${BOX_BIN_DIR:-$build/bin}
# shellcheck source=tests/scripts/lib.sh
. "$src/tests/scripts/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
boxctl=$bin/boxctl

# --- the schema, and that it says what the parser says
"$boxctl" spec-schema >"$work/schema.json"
check "spec-schema is a valid Draft 2020-12 schema" python3 - "$work/schema.json" <<'EOF'
import json, sys, jsonschema
jsonschema.Draft202012Validator.check_schema(json.load(open(sys.argv[1])))
EOF
check "the generated schema is the one installed" cmp -s "$work/schema.json" "$build/packaging/boxspec.schema.json"

# Every example in docs/spec.md, then cases each side must refuse: the two must agree.
python3 - "$src/docs/spec.md" "$work" <<'EOF'
import json, re, sys
text = open(sys.argv[1]).read()
for i, block in enumerate(re.findall(r"```json\n(.*?)```", text, re.S)):
    open(f"{sys.argv[2]}/doc-{i}.json", "w").write(block)
bad = {
    "unknown-key": {"name": "ab", "image": "busybox", "colour": "red"},
    "no-image": {"name": "ab"},
    "both-image-skills": {"name": "ab", "image": "busybox", "skills": ["s"]},
    "cpus-range": {"name": "ab", "image": "busybox", "cpus": 100},
    "memory-small": {"name": "ab", "image": "busybox", "memory": 1000},
    "memory-text": {"name": "ab", "image": "busybox", "memory": "lots"},
    "pids-type": {"name": "ab", "image": "busybox", "pids": "many"},
    "isolation": {"name": "ab", "image": "busybox", "isolation": "open"},
    "name-char": {"name": "a b", "image": "busybox"},
    "hc-retries": {"name": "ab", "image": "busybox", "healthcheck": {"test": ["CMD", "true"], "retries": 0}},
    "hc-unknown": {"name": "ab", "image": "busybox", "healthcheck": {"probe": 1}},
    "hc-duration": {"name": "ab", "image": "busybox", "healthcheck": {"interval": "soon"}},
    "env-type": {"name": "ab", "image": "busybox", "env": {"A": 1}},
}
good = {
    "minimal": {"name": "ab", "image": "busybox"},
    "full": {"name": "box-1", "owner": "alice@example.com", "image": "busybox:latest", "cpus": 0.5,
             "memory": "512m", "pids": 64, "isolation": "isolated", "env": {"TZ": "UTC"},
             "secrets": ["TOKEN"], "keepDataOnDelete": True, "command": ["sleep", "1"],
             "healthcheck": {"test": ["CMD-SHELL", "true"], "interval": "1m30s", "timeout": 500,
                             "startPeriod": "0s", "retries": 2}},
}
for name, spec in bad.items():
    json.dump(spec, open(f"{sys.argv[2]}/bad-{name}.json", "w"))
for name, spec in good.items():
    json.dump(spec, open(f"{sys.argv[2]}/good-{name}.json", "w"))
EOF
cat >"$work/validate.py" <<'EOF'
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])),
                    cls=jsonschema.Draft202012Validator)
EOF
schema_ok() { python3 "$work/validate.py" "$work/schema.json" "$1" 2>/dev/null; }
schema_refuses() { ! schema_ok "$1"; }
for f in "$work"/doc-*.json "$work"/good-*.json; do
    n=$(basename "$f" .json)
    check "schema accepts $n" schema_ok "$f"
    check "boxctl spec check accepts $n" "$boxctl" spec check "$f"
done
for f in "$work"/bad-*.json; do
    n=$(basename "$f" .json)
    check "schema refuses $n" schema_refuses "$f"
    "$boxctl" spec check "$f" >/dev/null 2>"$work/err"
    rc=$?
    check "boxctl spec check refuses $n with exit 2" test "$rc" -eq 2
    check "the refusal of $n names a field" grep -qE '^boxctl: .*[a-zA-Z]+(\.[a-zA-Z]+)?: ' "$work/err"
done
check "spec check --json fills in the defaults" bash -c \
    "'$boxctl' spec check --json '$work/good-minimal.json' | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j[\"pids\"]==100 and j[\"isolation\"]==\"isolated\"'"

# --- man page: renders without warnings and lists every command boxctl knows
zcat "$build/packaging/boxctl.1.gz" >"$work/boxctl.1"
check "man page renders without warnings" bash -c \
    "groff -man -Tutf8 -ww -z '$work/boxctl.1' 2>'$work/groff.err' && ! test -s '$work/groff.err'"
"$boxctl" --help | sed -n 's/^  \([a-z][a-z-]*\( [a-z][a-z-]*\)\?\).*/\1/p' | while read -r a b; do
    case $b in [a-z]*) echo "$a $b" ;; *) echo "$a" ;; esac
done | sort -u >"$work/commands"
check "boxctl --help lists commands" test "$(wc -l <"$work/commands")" -gt 20
missing=0
while read -r c; do
    grep -q "^\.B $(echo "$c" | sed 's/-/\\\\-/g')" "$work/boxctl.1" || { echo "not in man page: $c"; missing=1; }
done <"$work/commands"
check "every command is in the man page" test "$missing" -eq 0
check "man page has EXIT STATUS and ENVIRONMENT" bash -c "grep -q '^.SH EXIT STATUS' '$work/boxctl.1' && grep -q '^.SH ENVIRONMENT' '$work/boxctl.1'"
check "docs/boxctl.md is current (boxctl man --markdown)" bash -c \
    "'$boxctl' man --markdown | diff -u '$src/docs/boxctl.md' - >'$work/docs.diff'" || cat "$work/docs.diff"
check "boxctl --version names the build" bash -c "'$boxctl' --version | grep -qE '^boxctl [0-9]+\.[0-9]+\.[0-9]+'"

# --- completion: drive the bash function as bash-completion would
complete_bash() { # words... (the last one is being completed)
    bash -c '. "$1"; shift; COMP_WORDS=(boxctl "$@"); COMP_CWORD=$#; _boxctl; printf "%s\n" "${COMPREPLY[@]}"' \
        _ "$build/packaging/boxctl.bash" "$@"
}
check "bash: top-level commands" bash -c "$(declare -f complete_bash); build='$build'; complete_bash de | grep -qx deploy && complete_bash de | grep -qx delete"
check "bash: subcommands of a group" bash -c "$(declare -f complete_bash); build='$build'; complete_bash coolify se | grep -qx servers"
check "bash: options of a command" bash -c "$(declare -f complete_bash); build='$build'; complete_bash deploy --re | grep -qx -- --redeploy"
check "bash: options after global options" bash -c "$(declare -f complete_bash); build='$build'; complete_bash --host unix:///x gc --dr | grep -qx -- --dry-run"
check "bash: --backend values" bash -c "$(declare -f complete_bash); build='$build'; complete_bash ls --backend co | grep -qx coolify"
check "zsh completion parses" zsh -n "$build/packaging/_boxctl"
check "zsh completion is a #compdef file" bash -c "head -1 '$build/packaging/_boxctl' | grep -qx '#compdef boxctl'"

# --- desktop integration
check "desktop file is valid" desktop-file-validate "$src/packaging/org.boxconsole.BoxConsole.desktop"
check "AppStream metadata is valid" appstreamcli validate --no-net "$src/packaging/org.boxconsole.BoxConsole.metainfo.xml"

# --- the .deb: dependencies from the binaries, and every file a user needs
(cd "$build" && cpack -G DEB -B "$work/deb" >"$work/cpack.log" 2>&1)
check "cpack -G DEB succeeds" test "$(ls "$work"/deb/*.deb 2>/dev/null | wc -l)" -eq 1 || cat "$work/cpack.log"
deb=$(ls "$work"/deb/*.deb 2>/dev/null | head -1)
if [ -n "$deb" ]; then
    dpkg-deb -f "$deb" Depends >"$work/depends"
    echo "Depends: $(cat "$work/depends")"
    for d in libqt6widgets6 libqt6network6 libqt6core6 libvterm0 libhttp-parser2.9 \
        libqt6keychain1 qt6-qpa-plugins libarchive13 libqt6sql6-sqlite; do
        check "Depends names $d" grep -q "$d" "$work/depends"
    done
    # Qt's own German (or other) buttons and dialogs: recommended, the console's are built in.
    check "Recommends names qt6-translations-l10n" bash -c "dpkg-deb -f '$deb' Recommends | grep -q qt6-translations-l10n"
    dpkg-deb -c "$deb" | awk '{print $6}' | sed 's#^\./#/#' >"$work/files"
    for f in /usr/bin/box-console /usr/bin/boxctl /usr/lib/box-console/libbox-keychain.so \
        /usr/share/applications/org.boxconsole.BoxConsole.desktop \
        /usr/share/metainfo/org.boxconsole.BoxConsole.metainfo.xml \
        /usr/share/icons/hicolor/scalable/apps/box-console.svg \
        /usr/share/man/man1/boxctl.1.gz /usr/share/bash-completion/completions/boxctl \
        /usr/share/zsh/vendor-completions/_boxctl /usr/share/box-console/boxspec.schema.json \
        /usr/share/doc/box-console/spec.md /usr/share/doc/box-console/copyright; do
        check "the .deb holds $f" grep -qx "$f" "$work/files"
    done
    check "the .deb holds no test program" bash -c "! grep -q '/tst_' '$work/files'"
fi
totals
