#!/usr/bin/env python3
"""Finds user-visible text in the console's sources that does not go through tr().

usage: uistrings.py [--allowlist FILE] [--root DIR] PATH...

PATH is a source file or a directory (its *.cpp and *.h, recursively). Prints one line
per finding, "file:line: kind: "text"", and exits 1 if there is any finding (or a stale
allow-list entry), 0 otherwise.

QT_NO_CAST_FROM_ASCII keeps a bare "..." out of a QString, so text reaches a widget as
QStringLiteral / QLatin1String / u"..." / QString::fromUtf8; those are the literals looked
at. Two checks:
  sink   a literal that is (part of) a visible-text argument of a widget setter, a
         constructor or a dialog function: setText(QStringLiteral("Deploy")), new
         QAction(QStringLiteral("Stop"), this), QMessageBox::warning(this, ..., ...);
  prose  any literal reading like English words ("write failed"), wherever it goes,
         unless it is an argument of a comparison (contains, startsWith, == ...), a
         settings key, an object name and the like.
A literal counts only if it has a word (two letters) once placeholders (%1, %n), HTML tags
and entities are taken out: "%1 @ %2", " — " or "<br>" are never findings. Literals inside
tr(), QCoreApplication::translate(), QT_TR_NOOP() are translated already.

The allow-list names what is reviewed and meant to stay as it is, one entry a line:
    path: "literal"    reason
(path relative to --root, the literal exactly as in the source, between double quotes).
An entry that matches nothing is reported too, so the list cannot rot.
"""
import argparse
import os
import re
import sys

# Setters whose first argument is visible text.
TEXT_SETTERS = {
    "setText", "setToolTip", "setWindowTitle", "setPlaceholderText", "setStatusTip",
    "setWhatsThis", "setTitle", "setLabelText", "setSuffix", "setPrefix",
    "setSpecialValueText", "setInformativeText", "setDetailedText", "showMessage",
    "setAccessibleName", "setAccessibleDescription", "setIconText", "setHeaderLabels",
    "setHorizontalHeaderLabels", "setVerticalHeaderLabels", "setHeaderLabel",
    "setApplicationDescription", "setButtonText", "setOkButtonText", "setCancelButtonText",
    "setDefaultSuffix", "setNameFilter", "setNameFilters", "setWindowIconText",
    "setToolTipText", "setTextFormatText", "addSection", "setCheckBoxText",
}
# Setters whose first argument is an index: the text comes after it.
INDEXED_SETTERS = {"setTabText", "setTabToolTip", "setTabWhatsThis", "setItemText",
                   "setItemToolTip", "setHeaderText"}
# Calls and constructors whose visible text is the first argument that is not an icon
# (after an index or a page widget where the signature has one).
FIRST_TEXT = {
    "addAction": 0, "addMenu": 0, "addItem": 0, "addRow": 0, "addButton": 0,
    "insertItem": 1, "addTab": 1, "insertTab": 2, "addPage": 1,
    "QLabel": 0, "QPushButton": 0, "QCheckBox": 0, "QRadioButton": 0, "QGroupBox": 0,
    "QAction": 0, "QMenu": 0, "QCommandLinkButton": 0, "QTableWidgetItem": 0,
    "QListWidgetItem": 0, "QTreeWidgetItem": 0, "QStandardItem": 0, "QCommandLineOption": 1,
    "QMessageBox": 1,
}
# Static dialogs: (parent, title, text, ...); for file dialogs also the filter.
DIALOG_ARGS = {
    "information": (1, 2), "warning": (1, 2), "critical": (1, 2), "question": (1, 2),
    "about": (1, 2), "getText": (1, 2, 4), "getMultiLineText": (1, 2, 3), "getItem": (1, 2, 3),
    "getInt": (1, 2), "getDouble": (1, 2), "getSaveFileName": (1, 3), "getOpenFileName": (1, 3),
    "getOpenFileNames": (1, 3), "getExistingDirectory": (1,), "getColor": (2,),
}
# setData(role, value) / setData(index, value, role) with a text role.
TEXT_ROLES = re.compile(r"\b(DisplayRole|ToolTipRole|StatusTipRole|WhatsThisRole|"
                        r"AccessibleTextRole|AccessibleDescriptionRole|EditRole)\b")
# Calls whose literal arguments are data, never text: the prose check ignores them.
NOT_TEXT_CALLS = {
    "contains", "startsWith", "endsWith", "compare", "indexOf", "lastIndexOf", "remove",
    "replace", "split", "QRegularExpression", "setObjectName", "value", "setValue",
    "beginGroup", "insert", "take", "QSettings", "QUrl", "QIcon", "QFile", "QDir",
    "filePath", "QKeySequence", "setProperty", "property", "findChild", "findChildren",
    "QStandardPaths", "fromString", "toString", "QDateTime", "QTime", "QDate",
    "QFileInfo", "exists", "setEnvironment", "arg", "QProcess", "start", "env", "count",
}
TR_CALLS = {"tr", "translate", "QT_TR_NOOP", "QT_TRANSLATE_NOOP", "QT_TR_N_NOOP",
            "qtTrId", "QT_TRID_NOOP", "trUtf8"}
ICON_HINT = re.compile(r"icon|Icon|QPixmap|style\(\)->standard|standardIcon|QIcon")
LITERAL = re.compile(
    r'(?P<wrap>QStringLiteral|QLatin1String|QLatin1StringView|QStringView|QString::fromUtf8|'
    r'QString::fromLatin1|QString)\s*\(\s*(?P<q1>(?:(?:u8?)?"(?:[^"\\\n]|\\.)*"\s*)+)\)'
    r'|(?<![A-Za-z0-9_"])u"(?P<q2>(?:[^"\\\n]|\\.)*)"')
COMPARISON_BEFORE = re.compile(r'(==|!=|<|>)\s*$')
COMPARISON_AFTER = re.compile(r'^\s*(==|!=)')


def strip_comments(text):
    """Blanks out comments (keeping line breaks and string literals where they are)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '/' and i + 1 < n and text[i + 1] == '/':
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif c == '/' and i + 1 < n and text[i + 1] == '*':
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(''.join(ch if ch == '\n' else ' ' for ch in text[i:j]))
            i = j
        elif c == '"' or (c == "'" and not (i > 0 and text[i - 1].isalnum())):
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            end = text.find(')' + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append(text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def skip_string(text, i):
    """Index after the string or char literal starting at text[i]."""
    q = text[i]
    j = i + 1
    while j < len(text) and text[j] != q:
        j += 2 if text[j] == '\\' else 1
    return j + 1


def split_args(text, open_paren):
    """The top-level arguments of the call whose '(' is at open_paren: [(start, end)]."""
    args = []
    depth = 0
    start = open_paren + 1
    i = open_paren
    while i < len(text):
        c = text[i]
        if c == '"' or (c == "'" and not text[i - 1].isalnum()):
            i = skip_string(text, i)
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
            if depth == 0:
                if text[start:i].strip():
                    args.append((start, i))
                return args, i
        elif c == ',' and depth == 1:
            args.append((start, i))
            start = i + 1
        i += 1
    return args, len(text)


def enclosing_calls(text, pos, lower):
    """Names of the calls whose parentheses enclose pos, innermost first (from lower on)."""
    names = []
    depth = 0
    i = pos - 1
    while i >= lower:
        c = text[i]
        if c == '"':
            # walk back over a string literal
            j = i - 1
            while j >= lower and not (text[j] == '"' and text[j - 1] != '\\'):
                j -= 1
            i = j - 1
            continue
        if c in ')]}':
            depth += 1
        elif c in '([{':
            if depth == 0:
                if c == '(':
                    m = re.search(r'([A-Za-z_][A-Za-z0-9_:]*)\s*$', text[lower:i])
                    names.append(m.group(1).split('::')[-1] if m else '')
                else:
                    names.append(c)
            else:
                depth -= 1
        i -= 1
    return names


def has_words(literal):
    s = literal
    s = re.sub(r'\\[nt"\\]', ' ', s)
    s = re.sub(r'%L?\d+|%n', ' ', s)
    s = re.sub(r'<[^>]*>', ' ', s)
    s = re.sub(r'&[a-zA-Z]+;|&#\d+;', ' ', s)
    return re.search(r'[A-Za-z]{2,}', s) is not None


def reads_like_prose(literal):
    s = re.sub(r'%L?\d+|%n', 'X', literal)
    s = re.sub(r'<[^>]*>', ' ', s)
    # two words of letters separated by blanks, not a command line, path or format
    if re.search(r'[/=\\$`{}*]|\w\.\w|://|^-|\s-', s):
        return False
    return re.search(r'[A-Za-z]{2,}[,;:!?]?\s+[A-Za-z]{2,}', s) is not None


def literals_in(text, start, end):
    for m in LITERAL.finditer(text, start, end):
        q = m.group('q1')
        if q is not None:
            # adjacent literals ("a" "b") are one string
            q = ''.join(re.findall(r'"((?:[^"\\\n]|\\.)*)"', q))
        else:
            q = m.group('q2')
        yield m.start(), q


def line_of(text, pos):
    return text.count('\n', 0, pos) + 1


def scan_file(path, rel):
    raw = open(path, encoding='utf-8').read()
    text = strip_comments(raw)
    findings = {}

    def add(pos, kind, lit):
        findings.setdefault((line_of(text, pos), lit), (kind, lit))

    def check_arg(start, end, kind):
        for pos, lit in literals_in(text, start, end):
            inner = enclosing_calls(text, pos, start)
            # the innermost enclosing call is the literal's own wrapper when it has one
            if inner and inner[0] in ('QStringLiteral', 'QLatin1String', 'QLatin1StringView',
                                      'QStringView', 'fromUtf8', 'fromLatin1', 'QString'):
                inner = inner[1:]
            if any(c in TR_CALLS for c in inner):
                continue
            # nested in another call (an icon, a key sequence, a helper): not this text
            if any(c not in ('{', '[', 'QStringList') for c in inner):
                continue
            if has_words(lit):
                add(pos, kind, lit)

    # name( for calls and "new Type(", and "Type var(" for a constructed variable
    call = re.compile(r'\b([A-Za-z_][A-Za-z0-9_]*)\s*\(|\b(Q[A-Z][A-Za-z]*)\s+[a-z_][A-Za-z0-9_]*\s*\(')
    for m in call.finditer(text):
        name = m.group(1) or m.group(2)
        open_paren = m.end() - 1
        if name in ('if', 'for', 'while', 'switch', 'return', 'sizeof'):
            continue
        # "Type var(" and "new Type(" both mean a constructor of Type
        if name not in TEXT_SETTERS and name not in INDEXED_SETTERS and name not in FIRST_TEXT \
                and name not in DIALOG_ARGS and name != 'setData':
            continue
        args, _ = split_args(text, open_paren)
        if not args:
            continue
        if name in TEXT_SETTERS:
            check_arg(*args[0], 'sink ' + name)
        elif name in INDEXED_SETTERS and len(args) > 1:
            check_arg(*args[1], 'sink ' + name)
        elif name in DIALOG_ARGS:
            prefix = text[max(0, m.start() - 40):m.start()]
            if not re.search(r'(QMessageBox|QInputDialog|QFileDialog|QColorDialog)::\s*$', prefix):
                continue
            for k in DIALOG_ARGS[name]:
                if k < len(args):
                    check_arg(*args[k], 'sink ' + name)
        elif name == 'setData':
            roles = [a for a in args if TEXT_ROLES.search(text[a[0]:a[1]])]
            if roles:
                for a in args:
                    if a not in roles:
                        check_arg(*a, 'sink setData')
        else:
            k = FIRST_TEXT[name]
            while k < len(args) and ICON_HINT.search(text[args[k][0]:args[k][1]]):
                k += 1
            if k < len(args):
                check_arg(*args[k], 'sink ' + name)
            if name in ('QMessageBox',) and k + 1 < len(args):
                check_arg(*args[k + 1], 'sink ' + name)

    # prose anywhere
    for pos, lit in literals_in(text, 0, len(text)):
        if not reads_like_prose(lit):
            continue
        stmt_start = max(text.rfind(';', 0, pos), text.rfind('{', 0, pos), text.rfind('}', 0, pos))
        inner = enclosing_calls(text, pos, stmt_start + 1)
        if inner and inner[0] in ('QStringLiteral', 'QLatin1String', 'QLatin1StringView',
                                  'QStringView', 'fromUtf8', 'fromLatin1', 'QString'):
            inner = inner[1:]
        if any(c in TR_CALLS or c in NOT_TEXT_CALLS for c in inner):
            continue
        before = text[stmt_start + 1:pos]
        lit_end = text.find(')', pos + len(lit)) + 1
        if COMPARISON_BEFORE.search(before) or COMPARISON_AFTER.search(text[lit_end:lit_end + 8]):
            continue
        add(pos, 'prose', lit)
    return [(rel, line, kind, lit) for (line, _), (kind, lit) in sorted(findings.items())]


def load_allowlist(path):
    entries = []
    if not path:
        return entries
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        if not line.strip() or line.lstrip().startswith('#'):
            continue
        m = re.match(r'^(\S+):\s+"((?:[^"\\]|\\.)*)"\s+(\S.*)$', line.rstrip('\n'))
        if not m:
            sys.exit(f'{path}:{n}: needs: path: "literal"  reason')
        entries.append([m.group(1), m.group(2), n, 0])
    return entries


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--allowlist')
    ap.add_argument('--root', default='.')
    ap.add_argument('paths', nargs='+')
    a = ap.parse_args()
    files = []
    for p in a.paths:
        if os.path.isdir(p):
            for d, _, names in os.walk(p):
                files += [os.path.join(d, f) for f in names if f.endswith(('.cpp', '.h'))]
        else:
            files.append(p)
    allow = load_allowlist(a.allowlist)
    bad = 0
    for f in sorted(files):
        rel = os.path.relpath(f, a.root)
        for rel, line, kind, lit in scan_file(f, rel):
            hit = [e for e in allow if e[0] == rel and e[1] == lit]
            for e in hit:
                e[3] += 1
            if not hit:
                print(f'{rel}:{line}: {kind}: "{lit}"')
                bad += 1
    for path, lit, n, used in allow:
        if not used:
            print(f'{a.allowlist}:{n}: stale entry, nothing matches: {path}: "{lit}"')
            bad += 1
    print(f'{len(files)} files, {bad} finding(s)')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
