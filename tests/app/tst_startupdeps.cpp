// ctest: labels=app timeout=60
// Start-up budget of the executables: `boxctl ps` is measured against the docker CLI and
// most of boxctl's start is the dynamic loader. QtKeychain (QtDBus, libdbus, libsystemd,
// libgcrypt) and libarchive (eight compression libraries) are loaded on first use, so
// neither may come back as a link-time dependency.
#include "support/paths.h"

#include <QDir>
#include <QProcess>
#include <QTest>

class tst_StartupDeps : public QObject
{
    Q_OBJECT
private slots:
    void lazyLibrariesAreNotNeeded_data()
    {
        QTest::addColumn<QString>("binary");
        QTest::newRow("boxctl") << QStringLiteral("boxctl");
        QTest::newRow("box-console") << QStringLiteral("box-console");
    }

    void lazyLibrariesAreNotNeeded()
    {
        QFETCH(QString, binary);
        const QString path = QDir(bc::test::binDir()).filePath(binary);
        QVERIFY2(QFile::exists(path), qPrintable(path));
        QProcess readelf;
        readelf.start(QStringLiteral("readelf"), {QStringLiteral("-d"), path});
        QVERIFY(readelf.waitForFinished(30000));
        QCOMPARE(readelf.exitCode(), 0);
        const QByteArray dynamic = readelf.readAllStandardOutput();
        QVERIFY2(dynamic.contains("(NEEDED)"), dynamic.constData());
        QVERIFY2(dynamic.contains("libQt6Core"), "readelf output not understood");
        QVERIFY2(!dynamic.contains("keychain"), dynamic.constData());
        QVERIFY2(!dynamic.contains("libarchive"), dynamic.constData());
    }

    void keychainModuleIsBuiltWhereTheLoaderLooks()
    {
        // KeychainLoader's first place: <bin>/../lib/box-console.
        const QString module =
            QDir(bc::test::binDir())
                .filePath(QStringLiteral("../lib/box-console/libbox-keychain.so"));
        QVERIFY2(QFile::exists(module), qPrintable(module));
    }
};

QTEST_GUILESS_MAIN(tst_StartupDeps)
#include "tst_startupdeps.moc"
