// libFuzzer target for bc::docker::DockerIgnore: parse the .dockerignore text (input up to
// the first NUL) and match the path after it. Never crashes; the build files are always
// kept; a directory the walk may skip is excluded itself and so is everything under it.
#include "core/docker/dockerignore.h"

#include <cstdio>
#include <cstdlib>

using bc::docker::DockerIgnore;

namespace {

[[noreturn]] void fail(const char *what, const QString &detail = QString())
{
    std::fprintf(stderr, "fuzz_dockerignore: %s %s\n", what, qPrintable(detail));
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // Pattern files beyond a few KiB only slow the regex compilation down.
    if (size > 4096)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype nul = input.indexOf('\0');
    const QByteArray rules = nul < 0 ? input : input.left(nul);
    // The walk hands cleaned paths relative to the context root, never "." or "/…".
    const QString path = DockerIgnore::cleanPath(nul < 0 ? QStringLiteral("a/b")
                                                         : QString::fromUtf8(input.mid(nul + 1)));
    if (path == u"." || path.startsWith(u'/') || path == u".." || path.startsWith(u"../"))
        return 0;

    const DockerIgnore ignore = DockerIgnore::parse(rules);
    (void)ignore.patterns();
    (void)ignore.errorString();
    (void)DockerIgnore::cleanPath(path);
    if (!ignore.isValid())
        return 0;

    if (ignore.excludes(QStringLiteral("Dockerfile"), false))
        fail("Dockerfile excluded");
    if (ignore.excludes(QStringLiteral(".dockerignore"), false))
        fail(".dockerignore excluded");

    const bool fileExcluded = ignore.excludes(path, false);
    const bool dirExcluded = ignore.excludes(path, true);
    (void)fileExcluded;
    // Skipping is only allowed when nothing below can come back. Like the CLI's SkipDir
    // rule, canSkipDirectory() compares exception patterns as literal prefixes, so a
    // wildcard exception ("!*/keep") is knowingly not covered: check literal ones only.
    bool literalExceptions = true;
    for (const QString &p : ignore.patterns()) {
        if (p.startsWith(u'!') &&
            (p.contains(u'*') || p.contains(u'?') || p.contains(u'[') || p.contains(u'\\')))
            literalExceptions = false;
    }
    if (literalExceptions && dirExcluded && ignore.canSkipDirectory(path)) {
        for (const char *child : {"x", "Dockerfile", ".dockerignore", "a/b", "x.txt"}) {
            const QString below = path + u'/' + QLatin1String(child);
            const QString clean = DockerIgnore::cleanPath(below);
            if (!ignore.excludes(below, false) && clean != QLatin1String("Dockerfile") &&
                clean != QLatin1String(".dockerignore"))
                fail("skippable directory has an included child:", below);
        }
    }
    return 0;
}
