#include "support/testutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace bc::test {

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        qFatal("cannot write %s", qPrintable(path));
}

QStringList numbered(const QString &prefix, int from, int to)
{
    QStringList out;
    for (int i = from; i <= to; ++i)
        out << prefix + QString::number(i);
    return out;
}

QByteArray stdcopyFrame(int stream, const QByteArray &payload)
{
    QByteArray h(8, '\0');
    h[0] = char(stream);
    const quint32 n = quint32(payload.size());
    h[4] = char(n >> 24);
    h[5] = char(n >> 16);
    h[6] = char(n >> 8);
    h[7] = char(n);
    return h + payload;
}

} // namespace bc::test
