#include "support/paths.h"

#include <QDir>
#include <QFileInfo>

namespace bc::test {

QString sourceDir()
{
    const QString dir = qEnvironmentVariable("BOX_SOURCE_DIR");
    return dir.isEmpty() ? QDir::currentPath() : dir;
}

QString binDir()
{
    const QString dir = qEnvironmentVariable("BOX_BIN_DIR");
    return dir.isEmpty() ? sourceDir() + QStringLiteral("/build/bin") : dir;
}

QString sharedDir()
{
    const QString beside = QDir::cleanPath(sourceDir() + QStringLiteral("/../shared"));
    if (QFileInfo(beside).isDir())
        return beside;
    return QStringLiteral("/work/shared");
}

} // namespace bc::test
