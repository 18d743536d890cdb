#!/bin/bash
# ctest: labels=i18n timeout=120
# The committed catalogues (translations/box-console_<lang>.ts) are complete and current:
# - lupdate over the sources (ui/ and the console's main(), as the update_translations
#   target runs it) into a copy of each finds no message the catalogue lacks and none it
#   holds that the sources no longer have;
# - no entry is unfinished, empty, vanished or obsolete, a plural entry has both German
#   forms, and every translation keeps its source's placeholders (%1, %n), HTML tags,
#   accelerator (&) and leading/trailing blanks and line breaks;
# - every context is what tr() asks for at run time: "bc::ui::<class>" for a QObject of
#   ui/, the bare class name only for QCoreApplication::translate() outside a QObject, or
#   main()'s "main" (run without the include path, lupdate writes bare names and nothing
#   would be found);
# - lrelease builds each with every message finished.
set -uo pipefail

src=${BOX_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
tmp=$(mktemp -d /tmp/bctest-translations.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Qt 6's tools (Debian: qt6-l10n-tools in /usr/lib/qt6/bin), never a Qt 5 lupdate on PATH.
bin=$(qtpaths6 --query QT_HOST_BINS 2>/dev/null || echo /usr/lib/qt6/bin)
lupdate=${LUPDATE:-$bin/lupdate}
lrelease=${LRELEASE:-$bin/lrelease}
check "lupdate is installed ($lupdate)" test -x "$lupdate"
check "lrelease is installed ($lrelease)" test -x "$lrelease"

catalogues=("$src"/translations/box-console_*.ts)
check "the German catalogue is in the tree" test -f "$src/translations/box-console_de.ts"

for ts in "${catalogues[@]}"; do
    [ -f "$ts" ] || continue
    name=$(basename "$ts")
    cp "$ts" "$tmp/$name"
    # As the update_translations target runs it: LUPDATE_OPTIONS of ui/CMakeLists.txt, the
    # source root as include path (for the namespaces of the classes).
    (cd "$src" && "$lupdate" -locations none -no-obsolete -source-language en -I "$src" \
        ui app/box_console_main.cpp -ts "$tmp/$name") >"$tmp/lupdate.log" 2>&1
    check "$name: lupdate over the sources runs" test $? -eq 0 || cat "$tmp/lupdate.log"
    found=$(sed -n 's/.*Found \([0-9]*\) source text(s) (\([0-9]*\) new.*/\1 \2/p' "$tmp/lupdate.log")
    echo "lupdate: $found (source texts, new)"
    check "$name: lupdate finds more than 700 source texts" [ "${found%% *}" -gt 700 ]
    check "$name: lupdate finds no new source text" [ "${found##* }" = 0 ]

    report=$(python3 - "$ts" "$tmp/$name" "$src" <<'EOF'
import os, re, sys
import xml.etree.ElementTree as ET

committed, updated, src = sys.argv[1:4]

def entries(path):
    out = {}
    root = ET.parse(path).getroot()
    for ctx in root.iter('context'):
        cname = ctx.find('name').text
        for msg in ctx.iter('message'):
            source = msg.find('source').text or ''
            comment = msg.find('comment')
            t = msg.find('translation')
            forms = [f.text or '' for f in t.findall('numerusform')] if msg.get('numerus') == 'yes' \
                else [t.text or '']
            key = (cname, source, comment.text if comment is not None else None)
            out[key] = (t.get('type'), msg.get('numerus') == 'yes', forms)
    return root.get('language'), out

def placeholders(s, numerus):
    p = re.findall(r'%L?\d+|%n', s)
    return sorted(set(p)) if numerus else sorted(p)

def accelerators(s):
    # a marker before a letter; "&&" is a literal ampersand, "&amp;" an entity
    return len(re.findall(r'&(?![&#\w]+;)(?=\S)', s.replace('&&', '')))

lang, mine = entries(committed)
_, fresh = entries(updated)
problems = []
for key, (kind, numerus, forms) in fresh.items():
    if key not in mine:
        problems.append('not in the catalogue (run update_translations): %s: %r' % key[:2])
    elif kind in ('vanished', 'obsolete'):
        problems.append('no longer in the sources: %s: %r' % key[:2])
for key in mine:
    if key not in fresh:
        problems.append('dropped by lupdate: %s: %r' % key[:2])

plural_forms = {'de': 2}.get((lang or '').split('_')[0])
# Classes of ui/, and whether each is a QObject (its tr() asks for "bc::ui::<class>").
classes = {}
for d, _, names in os.walk(os.path.join(src, 'ui')):
    for n in names:
        if n.endswith('.h'):
            text = open(os.path.join(d, n)).read()
            parts = re.split(r'^(?=(?:class|struct)\s+\w+[^;]*$)', text, flags=re.M)
            for part in parts:
                m = re.match(r'(?:class|struct)\s+(\w+)', part)
                if m:
                    classes[m.group(1)] = classes.get(m.group(1), False) or 'Q_OBJECT' in part
for (cname, source, _), (kind, numerus, forms) in mine.items():
    where = '%s: %r' % (cname, source)
    bare = cname[len('bc::ui::'):] if cname.startswith('bc::ui::') else None
    if not (cname == 'main' or (bare and classes.get(bare)) or classes.get(cname) is False):
        problems.append('context is not what tr() asks for at run time: ' + where)
    if kind in ('unfinished', 'vanished', 'obsolete'):
        problems.append(kind + ': ' + where)
        continue
    if any(not f.strip() and source.strip() for f in forms):
        problems.append('empty translation: ' + where)
        continue
    if numerus and plural_forms and len(forms) != plural_forms:
        problems.append('%d plural forms, %s needs %d: %s' % (len(forms), lang, plural_forms, where))
    for f in forms:
        bad = []
        if placeholders(f, numerus) != placeholders(source, numerus):
            bad.append('placeholders')
        if sorted(re.findall(r'</?[A-Za-z][^>]*>', f)) != sorted(re.findall(r'</?[A-Za-z][^>]*>', source)):
            bad.append('HTML tags')
        if accelerators(f) != accelerators(source):
            bad.append('accelerator (&)')
        if (source[:1].isspace(), source[-1:].isspace()) != (f[:1].isspace(), f[-1:].isspace()) \
                or source.count('\n') and not f.count('\n') \
                or source.endswith('\n') != f.endswith('\n'):
            bad.append('leading/trailing blanks or line breaks')
        if bad:
            problems.append('%s differ: %s -> %r' % (', '.join(bad), where, f))
for p in problems:
    print(p)
print('MESSAGES', len(mine))
EOF
)
    messages=$(sed -n 's/^MESSAGES //p' <<<"$report")
    problems=$(sed '/^MESSAGES /d' <<<"$report")
    [ -n "$problems" ] && echo "$problems"
    check "$name: every message of the sources is translated, none stale ($messages messages)" \
        [ -z "$problems" ] && [ "${messages:-0}" -gt 700 ]

    "$lrelease" "$ts" -qm "$tmp/${name%.ts}.qm" >"$tmp/lrelease.log" 2>&1
    check "$name: lrelease builds it" test $? -eq 0 -a -s "$tmp/${name%.ts}.qm"
    cat "$tmp/lrelease.log"
    check "$name: lrelease reports all finished, 0 unfinished" \
        grep -Eq "Generated ${messages:-x} translation\(s\) \(${messages:-x} finished and 0 unfinished\)" "$tmp/lrelease.log"
    check "$name: lrelease ignores no untranslated source text" bash -c "! grep -q 'untranslated' '$tmp/lrelease.log'"
done

totals
