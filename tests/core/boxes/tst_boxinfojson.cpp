// The JSON of a box: the hand-written UTC time prints what Qt's ISO format printed, and the
// streamed writer prints what a dump of the document prints.
#include "core/boxes/boxinfojson.h"
#include "core/util/jsonwriter.h"

#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>

using namespace bc;
using namespace bc::boxes;

class tst_BoxInfoJson : public QObject
{
    Q_OBJECT
private slots:
    void isoUtcMatchesQt();
    void writerMatchesDump();
};

namespace {

QString qtIso(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

QString ours(const QDateTime &t)
{
    char text[20];
    return QString::fromLatin1(text, qsizetype(isoUtcText(t, text)));
}

} // namespace

void tst_BoxInfoJson::isoUtcMatchesQt()
{
    QList<QDateTime> times;
    // Edges: the epoch and around it (negative milliseconds floor to the second before),
    // leap days, centuries, and the years Qt stops printing (before 1, after 9999).
    for (qint64 ms : {qint64(0), qint64(-1), qint64(-999), qint64(-1000), qint64(-1001),
                      qint64(999), qint64(86399999), qint64(-86400000), qint64(951782400000),
                      qint64(4107542400000), qint64(1765000000123), qint64(253402300799999),
                      qint64(253402300800000), qint64(-62135596800000), qint64(-62135596800001),
                      qint64(-62167219200000), qint64(-62198755200000)})
        times << QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    for (int y : {1, 4, 99, 100, 400, 1582, 1600, 1900, 1969, 1970, 2000, 2024, 2100, 9999})
        for (int m : {1, 2, 3, 12})
            for (int d : {1, 28, 29})
                if (QDate(y, m, d).isValid())
                    times << QDateTime(QDate(y, m, d), QTime(23, 59, 59, 999), Qt::UTC);
    // Not only UTC: a local time and a fixed offset print as the same instant in UTC.
    times << QDateTime(QDate(2026, 12, 6), QTime(3, 35, 25), Qt::LocalTime)
          << QDateTime(QDate(2026, 1, 1), QTime(0, 30), QTimeZone(3600 * 5));
    QRandomGenerator rng(17);
    for (int i = 0; i < 20000; ++i)
        times << QDateTime::fromMSecsSinceEpoch(
            qint64(rng.generate64() % 700000000000000ULL) - 350000000000000LL, Qt::UTC);
    for (const QDateTime &t : std::as_const(times))
        QCOMPARE(ours(t), qtIso(t));
}

void tst_BoxInfoJson::writerMatchesDump()
{
    BoxInfo b;
    b.name = QStringLiteral("box-ä\"1\"");
    b.id = QStringLiteral("0123456789abcdef");
    b.backendKind = QStringLiteral("docker");
    b.backendId = QStringLiteral("docker:unix:///run/docker.sock");
    b.host = QStringLiteral("unix:///run/docker.sock");
    b.state = BoxInfo::State::Running;
    b.health = BoxInfo::Health::Healthy;
    b.statusText = QStringLiteral("Up 5 minutes\t(healthy) ✓");
    b.image = QStringLiteral("bctest/busybox:latest");
    b.resources.cpuPercent = 12.5;
    b.resources.memoryUsage = 1 << 20;
    b.createdAt = QDateTime::fromSecsSinceEpoch(1765000000, Qt::UTC);
    b.labels = {{QStringLiteral("box-console.box"), QStringLiteral("box-ä")},
                {QStringLiteral("k\\ey"), QStringLiteral("v\nw")},
                {QStringLiteral("ü"), QString()}};
    for (int indent : {-1, 2}) {
        JsonWriter w(indent);
        writeBoxInfoJson(w, b);
        QCOMPARE(QByteArray::fromStdString(w.text()),
                 QByteArray::fromStdString(boxInfoToJson(b).dump(indent)));
    }
    QCOMPARE(QString::fromStdString(boxInfoToJson(b)["createdAt"].get<std::string>()),
             QStringLiteral("2025-12-06T05:46:40Z"));
}

QTEST_GUILESS_MAIN(tst_BoxInfoJson)
#include "tst_boxinfojson.moc"
