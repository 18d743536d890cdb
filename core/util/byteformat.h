#pragma once

#include <QLocale>
#include <QString>

namespace bc {

// A size as both programs show it: binary units with one decimal ("12.3 MiB"), as
// `docker stats` prints memory, so the figures can be compared. The console passes the
// user's locale; boxctl keeps the C locale so scripts read the same on every machine.
QString formatBytes(qint64 bytes, const QLocale &locale = QLocale::c());

} // namespace bc
