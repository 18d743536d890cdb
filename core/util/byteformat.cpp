#include "core/util/byteformat.h"

namespace bc {

QString formatBytes(qint64 bytes, const QLocale &locale)
{
    return locale.formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

} // namespace bc
