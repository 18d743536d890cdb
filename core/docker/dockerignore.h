#pragma once

#include <QByteArray>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace bc::docker {

// .dockerignore rules with the semantics of Go's moby/patternmatcher as the docker CLI
// applies them to a build context: `*`, `?`, `[...]`, `**`, `!` exceptions (last match
// wins), patterns matching a parent directory exclude everything under it, leading `/`
// and `./` cleaned, `#` comment lines. The Dockerfile and .dockerignore are always kept
// (the daemon needs them; it removes them itself when they were ignored).
class DockerIgnore
{
public:
    // `dockerfile` is the Dockerfile's path relative to the context, kept like the CLI's
    // TrimBuildFilesFromExcludes does.
    static DockerIgnore parse(const QByteArray &fileContents,
                              const QString &dockerfile = QStringLiteral("Dockerfile"));

    // relativePath uses '/' and is relative to the context root ("a/b.txt").
    bool excludes(const QString &relativePath, bool isDir) const;

    // For a directory that excludes() itself: whether nothing below it can be re-included
    // by a `!` pattern, so the walk may skip it entirely (the CLI's SkipDir rule).
    bool canSkipDirectory(const QString &relativePath) const;

    bool hasExceptions() const { return m_hasExceptions; }
    bool isEmpty() const { return m_patterns.isEmpty(); }
    // The patterns after cleaning, `!` kept, in file order (plus the kept build files).
    QStringList patterns() const;

    // A malformed pattern (e.g. an unclosed '[') makes every build fail like the CLI's.
    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }

    // Go's filepath.Clean for '/'-separated paths.
    static QString cleanPath(const QString &path);

private:
    struct Pattern
    {
        QString text; // cleaned, without '!'
        bool exception = false;
        QRegularExpression regex;
    };
    void addPattern(const QString &cleaned);
    bool matchesRaw(const QString &path) const;

    QList<Pattern> m_patterns;
    bool m_hasExceptions = false;
    QString m_error;
};

} // namespace bc::docker
