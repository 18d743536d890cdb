#include "core/docker/memorytar.h"

#include <archive.h>
#include <archive_entry.h>

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using bc::docker::MemoryTar;

// The in-memory tar that carries box secrets to the engine: read back with libarchive.
class tst_MemoryTar final : public QObject
{
    Q_OBJECT

    struct Entry
    {
        QString name;
        int mode = 0;
        qint64 uid = -1;
        qint64 gid = -1;
        QByteArray data;
    };

    static QList<Entry> read(const QByteArray &tar)
    {
        QList<Entry> out;
        struct archive *a = archive_read_new();
        archive_read_support_format_tar(a);
        if (archive_read_open_memory(a, tar.constData(), size_t(tar.size())) != ARCHIVE_OK) {
            archive_read_free(a);
            return out;
        }
        archive_entry *e = nullptr;
        while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
            Entry entry;
            entry.name = QString::fromUtf8(archive_entry_pathname(e));
            entry.mode = int(archive_entry_mode(e));
            entry.uid = archive_entry_uid(e);
            entry.gid = archive_entry_gid(e);
            QByteArray data(qsizetype(archive_entry_size(e)), '\0');
            if (!data.isEmpty())
                archive_read_data(a, data.data(), size_t(data.size()));
            entry.data = data;
            out << entry;
        }
        archive_read_free(a);
        return out;
    }

private slots:
    void filesKeepOwnerModeAndContent()
    {
        const QByteArray binary("line1\nline2\0tail", 16);
        const QString longName = QString(150, u'N');
        const auto tar = MemoryTar::pack({{u"GIT_TOKEN"_s, "v4lue", 0400, 1000, 1000},
                                          {longName, binary, 0640, 1234, 5678},
                                          {u"EMPTY"_s, QByteArray(), 0400, 1000, 1000}});
        QVERIFY2(tar.ok(), qPrintable(tar.ok() ? QString() : tar.error().toString()));
        const QList<Entry> entries = read(tar.value());
        QCOMPARE(entries.size(), 3);
        QCOMPARE(entries[0].name, u"GIT_TOKEN"_s);
        QCOMPARE(entries[0].mode, 0100400); // regular file, r--------
        QCOMPARE(entries[0].uid, 1000);
        QCOMPARE(entries[0].gid, 1000);
        QCOMPARE(entries[0].data, QByteArray("v4lue"));
        QCOMPARE(entries[1].name, longName); // past ustar's 100 bytes: PAX
        QCOMPARE(entries[1].mode, 0100640);
        QCOMPARE(entries[1].uid, 1234);
        QCOMPARE(entries[1].gid, 5678);
        QCOMPARE(entries[1].data, binary);
        QCOMPARE(entries[2].data, QByteArray());
    }

    void refusesPathsOutsideTheTarget()
    {
        for (const QString &bad : {u"../x"_s, u"/etc/passwd"_s, u"a/../../b"_s, u""_s, u"."_s}) {
            const auto r = MemoryTar::pack({{bad, "secret-content", 0400, 0, 0}});
            QVERIFY2(!r.ok(), qPrintable(bad));
            QCOMPARE(r.error().kind(), bc::Error::Kind::Invalid);
            QVERIFY(!r.error().toString().contains(u"secret-content"_s));
        }
    }

    void emptyTarIsValid()
    {
        const auto tar = MemoryTar::pack({});
        QVERIFY(tar.ok());
        QVERIFY(read(tar.value()).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_MemoryTar)
#include "tst_memorytar.moc"
