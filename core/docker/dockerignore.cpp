#include "core/docker/dockerignore.h"

namespace bc::docker {

QString DockerIgnore::cleanPath(const QString &path)
{
    if (path.isEmpty())
        return QStringLiteral(".");
    const bool rooted = path.startsWith(QLatin1Char('/'));
    QStringList out;
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        if (part == u".")
            continue;
        if (part == u"..") {
            if (!out.isEmpty() && out.last() != u"..")
                out.removeLast();
            else if (!rooted)
                out.append(part);
            continue;
        }
        out.append(part);
    }
    QString result = (rooted ? QStringLiteral("/") : QString()) + out.join(QLatin1Char('/'));
    return result.isEmpty() ? QStringLiteral(".") : result;
}

namespace {

// filepath.Match's syntax check: a '[' class must close, ranges must be complete, and a
// trailing backslash is malformed.
bool validGlob(const QString &p)
{
    for (qsizetype i = 0; i < p.size(); ++i) {
        const QChar c = p.at(i);
        if (c == QLatin1Char('\\')) {
            if (++i >= p.size())
                return false;
        } else if (c == QLatin1Char('[')) {
            ++i;
            if (i < p.size() && p.at(i) == QLatin1Char('^'))
                ++i;
            bool first = true;
            for (;; first = false) {
                if (i >= p.size())
                    return false;
                if (p.at(i) == QLatin1Char(']') && !first)
                    break;
                if (p.at(i) == QLatin1Char('\\') && ++i >= p.size())
                    return false;
                ++i;
                if (i < p.size() && p.at(i) == QLatin1Char('-')) {
                    ++i;
                    if (i >= p.size() || p.at(i) == QLatin1Char(']'))
                        return false;
                    if (p.at(i) == QLatin1Char('\\') && ++i >= p.size())
                        return false;
                    ++i;
                }
            }
        }
    }
    return true;
}

// The pattern-to-regexp translation of patternmatcher's Pattern.compile (Unix paths).
QString toRegex(const QString &pattern)
{
    QString re = QStringLiteral("^");
    const qsizetype n = pattern.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = pattern.at(i);
        if (c == QLatin1Char('*')) {
            if (i + 1 < n && pattern.at(i + 1) == QLatin1Char('*')) {
                ++i;
                // "**/" is "**": eat the slash.
                if (i + 1 < n && pattern.at(i + 1) == QLatin1Char('/'))
                    ++i;
                if (i + 1 >= n)
                    re += u".*"; // "**" at the end: everything below
                else
                    re += u"(.*/)?"; // any number of directories, even none
            } else {
                re += u"[^/]*";
            }
        } else if (c == QLatin1Char('?')) {
            re += u"[^/]";
        } else if (QStringView(u".+()|{}$").contains(c)) {
            re += QLatin1Char('\\') + c;
        } else if (c == QLatin1Char('\\')) {
            if (i + 1 < n) {
                re += QLatin1Char('\\');
                re += pattern.at(++i);
            } else {
                re += u"\\\\";
            }
        } else {
            re += c;
        }
    }
    // \z, not $: PCRE's $ also matches before a final newline, RE2's does not.
    re += u"\\z";
    return re;
}

} // namespace

void DockerIgnore::addPattern(const QString &cleaned)
{
    Pattern p;
    p.text = cleaned;
    if (p.text.startsWith(QLatin1Char('!'))) {
        p.exception = true;
        p.text.remove(0, 1);
        m_hasExceptions = true;
    }
    if (p.text.isEmpty() || !validGlob(p.text)) {
        if (m_error.isEmpty())
            m_error = QStringLiteral("invalid .dockerignore pattern \"%1\"").arg(cleaned);
        return;
    }
    p.regex = QRegularExpression(toRegex(p.text));
    if (!p.regex.isValid()) {
        if (m_error.isEmpty())
            m_error = QStringLiteral("invalid .dockerignore pattern \"%1\": %2")
                          .arg(cleaned, p.regex.errorString());
        return;
    }
    m_patterns.append(std::move(p));
}

DockerIgnore DockerIgnore::parse(const QByteArray &fileContents, const QString &dockerfile)
{
    DockerIgnore d;
    QByteArray contents = fileContents;
    if (contents.startsWith("\xef\xbb\xbf"))
        contents.remove(0, 3);
    const QList<QByteArray> lines = contents.split('\n');
    for (const QByteArray &raw : lines) {
        // Comments are recognised before trimming, as in ignorefile.ReadAll.
        if (raw.startsWith('#'))
            continue;
        QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty())
            continue;
        const bool invert = line.startsWith(QLatin1Char('!'));
        if (invert)
            line = line.mid(1).trimmed();
        if (!line.isEmpty()) {
            line = cleanPath(line);
            if (line.size() > 1 && line.startsWith(QLatin1Char('/')))
                line.remove(0, 1);
        }
        if (invert)
            line.prepend(QLatin1Char('!'));
        // patternmatcher.New trims and cleans once more; "!" alone is an error there.
        if (line == u"!") {
            if (d.m_error.isEmpty())
                d.m_error = QStringLiteral("illegal exclusion pattern: \"!\" in .dockerignore");
            continue;
        }
        if (!invert)
            line = cleanPath(line);
        d.addPattern(line);
    }
    // TrimBuildFilesFromExcludes: the build files always travel.
    if (d.matchesRaw(QStringLiteral(".dockerignore")))
        d.addPattern(QStringLiteral("!.dockerignore"));
    const QString df = cleanPath(dockerfile);
    if (!dockerfile.isEmpty() && d.matchesRaw(df))
        d.addPattern(u'!' + df);
    return d;
}

bool DockerIgnore::matchesRaw(const QString &file) const
{
    // MatchesOrParentMatches: each pattern is tried on the path and on every parent
    // directory; the last pattern that applies decides.
    const QString path = cleanPath(file);
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    const QString parent = slash < 0 ? QStringLiteral(".") : path.left(slash);
    const QStringList parentDirs = parent.split(QLatin1Char('/'));
    bool matched = false;
    for (const Pattern &p : m_patterns) {
        // An inclusion cannot change an already excluded path, an exception cannot
        // change one that is not excluded.
        if (p.exception != matched)
            continue;
        bool match = p.regex.match(path).hasMatch();
        if (!match && parent != u".") {
            QString prefix;
            for (const QString &dir : parentDirs) {
                prefix = prefix.isEmpty() ? dir : prefix + u'/' + dir;
                if (p.regex.match(prefix).hasMatch()) {
                    match = true;
                    break;
                }
            }
        }
        if (match)
            matched = !p.exception;
    }
    return matched;
}

bool DockerIgnore::excludes(const QString &relativePath, bool isDir) const
{
    Q_UNUSED(isDir) // patternmatcher does not distinguish ("dir/" is cleaned to "dir")
    if (m_patterns.isEmpty())
        return false;
    return matchesRaw(relativePath);
}

bool DockerIgnore::canSkipDirectory(const QString &relativePath) const
{
    if (!m_hasExceptions)
        return true;
    const QString dirSlash = cleanPath(relativePath) + u'/';
    for (const Pattern &p : m_patterns) {
        if (p.exception && QString(p.text + u'/').startsWith(dirSlash))
            return false;
    }
    return true;
}

QStringList DockerIgnore::patterns() const
{
    QStringList out;
    for (const Pattern &p : m_patterns)
        out.append(p.exception ? u'!' + p.text : p.text);
    return out;
}

} // namespace bc::docker
