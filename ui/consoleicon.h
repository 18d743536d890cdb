#pragma once

#include <QIcon>
#include <QString>

namespace bc::ui {

// One of the console's own icons, resources/icons/<name>.png (registered by MainWindow: the
// static ui library would otherwise drop them).
inline QIcon consoleIcon(const char *name)
{
    return QIcon(QStringLiteral(":/icons/") + QString::fromLatin1(name) + QStringLiteral(".png"));
}

} // namespace bc::ui
