#!/bin/bash
# ctest: labels=i18n timeout=60
# No untranslatable user-visible text in ui/ (and the console's main()): tests/scripts/
# uistrings.py finds literals given to widget setters, constructors and dialogs outside
# tr(), and English prose anywhere, except what tests/scripts/uistrings-allowlist.txt
# names with a reason. It is checked first against a sample with every kind of finding.
set -uo pipefail

src=${BOX_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d /tmp/bctest-uistrings.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=lib.sh
. "$here/lib.sh"

# 1. The scanner finds what it is meant to (and leaves translated and data strings alone).
cat >"$tmp/sample.cpp" <<'EOF'
void Sample::build()
{
    m_title->setText(QStringLiteral("Deploy the box"));
    if (busy)
        m_hint->setToolTip(QStringLiteral("Stops it"));
    auto *stop = new QAction(QStringLiteral("Stop"), this);
    auto *start = new QAction(icon(QStringLiteral("start")), QStringLiteral("Start"), this);
    QPushButton cancel(QStringLiteral("Cancel"));
    QMessageBox::warning(this, QStringLiteral("Delete"), QStringLiteral("Really?"));
    menu->addAction(QStringLiteral("Open logs"), this, [] {});
    tabs->addTab(page, QStringLiteral("Resources"));
    tabs->setTabText(2, QStringLiteral("Logs"));
    table->setHorizontalHeaderLabels({QStringLiteral("Name"), tr("Owner")});
    item->setData(Qt::ToolTipRole, QStringLiteral("Hint"));
    parser.setApplicationDescription(QStringLiteral("A console " "for boxes"));
    const QString message = QStringLiteral("write failed");
    auto *label = new QLabel(QLatin1String("Plain Latin-1"), this);
    // none of these:
    m_title->setText(tr("Deploy the box"));
    m_title->setText(QStringLiteral("%1 @ %2").arg(a, b));
    m_title->setText(QStringLiteral("<br>"));
    auto *ok = new QAction(icon(QStringLiteral("stop")), tr("Stop"), this);
    ok->setShortcut(QKeySequence(QStringLiteral("Ctrl+D")));
    combo->addItem(tr("Docker"), QStringLiteral("docker"));
    if (error == QLatin1String("exists; use redeploy")) {}
    if (error.contains(QLatin1String("no such container"))) {}
    settings.setValue(QStringLiteral("main window/geometry"), 1);
    setObjectName(QStringLiteral("main toolbar"));
    // m_title->setText(QStringLiteral("commented out"));
    m_title->setText(QStringLiteral("allowed text"));
}
EOF
echo 'sample.cpp: "allowed text"    reviewed: the sample allow-list entry' >"$tmp/allow.txt"
python3 "$here/uistrings.py" --root "$tmp" --allowlist "$tmp/allow.txt" "$tmp/sample.cpp" >"$tmp/sample.out"
check "the scanner fails on the sample" test $? -eq 1
cat "$tmp/sample.out"
for text in "Deploy the box" "Stops it" "Stop" "Start" "Cancel" "Delete" "Really?" "Open logs" \
    "Resources" "Logs" "Name" "Hint" "A console for boxes" "write failed" "Plain Latin-1"; do
    check "the scanner finds \"$text\"" grep -q ": \"$text\"\$" "$tmp/sample.out"
done
check "the scanner reports exactly those 15" grep -q "^1 files, 15 finding(s)\$" "$tmp/sample.out"

echo 'sample.cpp: "gone"    an entry that matches nothing' >>"$tmp/allow.txt"
python3 "$here/uistrings.py" --root "$tmp" --allowlist "$tmp/allow.txt" "$tmp/sample.cpp" >"$tmp/stale.out"
check "a stale allow-list entry is reported" grep -q 'stale entry, nothing matches: sample.cpp: "gone"' "$tmp/stale.out"

# 2. The console's sources.
(cd "$src" && python3 tests/scripts/uistrings.py --root . \
    --allowlist tests/scripts/uistrings-allowlist.txt ui app/box_console_main.cpp) >"$tmp/ui.out"
status=$?
cat "$tmp/ui.out"
check "ui/ has no untranslated user-visible text" test $status -eq 0
check "the scan covered ui/ (more than 60 files)" \
    bash -c "n=\$(sed -n 's/^\([0-9]*\) files,.*/\1/p' '$tmp/ui.out'); [ \"\${n:-0}\" -gt 60 ]"

totals
