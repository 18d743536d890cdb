// ctest: labels=coolify
#include "core/util/keychainloader.h"
#include "core/util/secretstore.h"

#include "support/testutil.h"

#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace bc;
using bc::test::await;
using bc::util::KeychainLoader;
using bc::util::SecretStore;

// The keychain path needs a desktop session; these tests pin the file fallback that
// headless machines use (and check a keychain failure falls back to it).
class tst_SecretStore : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void roundTripInFile();
    void filePermissions();
    void missingKeyIsNotFound();
    void removeMissingKeySucceeds();
    void valuesNeverInErrors();
    void keychainFailureFallsBack();
    void keychainModuleLoadsOnDemand();

private:
    QTemporaryDir m_home;
};

void tst_SecretStore::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
    qputenv("BOX_SECRET_STORE", "file");
    QVERIFY(SecretStore::fallbackFilePath().startsWith(m_home.path()));
}

void tst_SecretStore::roundTripInFile()
{
    QVERIFY(await(SecretStore::write(QStringLiteral("coolify-token"), QStringLiteral("42|s3cret")))
                .ok());
    QVERIFY(await(SecretStore::write(QStringLiteral("other"), QStringLiteral("x\ny \u00e9"))).ok());
    auto token = await(SecretStore::read(QStringLiteral("coolify-token")));
    QVERIFY(token.ok());
    QCOMPARE(token.value(), QStringLiteral("42|s3cret"));
    QCOMPARE(await(SecretStore::read(QStringLiteral("other"))).value(),
             QStringLiteral("x\ny \u00e9"));
    QVERIFY(
        await(SecretStore::write(QStringLiteral("coolify-token"), QStringLiteral("43|new"))).ok());
    QCOMPARE(await(SecretStore::read(QStringLiteral("coolify-token"))).value(),
             QStringLiteral("43|new"));
    QVERIFY(await(SecretStore::remove(QStringLiteral("coolify-token"))).ok());
    QCOMPARE(await(SecretStore::read(QStringLiteral("coolify-token"))).error().kind(),
             Error::Kind::NotFound);
    QCOMPARE(await(SecretStore::read(QStringLiteral("other"))).value(),
             QStringLiteral("x\ny \u00e9"));
    QVERIFY(SecretStore::usingFallback());
}

void tst_SecretStore::filePermissions()
{
    QVERIFY(await(SecretStore::write(QStringLiteral("perm"), QStringLiteral("v"))).ok());
    const QByteArray path = QFile::encodeName(SecretStore::fallbackFilePath());
    struct stat st
    {
    };
    QCOMPARE(::stat(path.constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 07777), 0600);
    const QByteArray dir =
        QFile::encodeName(QFileInfo(SecretStore::fallbackFilePath()).absolutePath());
    QCOMPARE(::stat(dir.constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 07777), 0700);
    // A permissive umask does not widen it either (the file is created 0600 from the start).
    const mode_t old = ::umask(0);
    QVERIFY(await(SecretStore::write(QStringLiteral("perm2"), QStringLiteral("v"))).ok());
    ::umask(old);
    QCOMPARE(::stat(path.constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 07777), 0600);
    // no temporary file left behind
    QCOMPARE(QDir(QString::fromLocal8Bit(dir)).entryList(QDir::Files).size(), 1);
}

void tst_SecretStore::missingKeyIsNotFound()
{
    auto r = await(SecretStore::read(QStringLiteral("nope")));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind(), Error::Kind::NotFound);
}

void tst_SecretStore::removeMissingKeySucceeds()
{
    QVERIFY(await(SecretStore::remove(QStringLiteral("never-there"))).ok());
}

void tst_SecretStore::valuesNeverInErrors()
{
    // A corrupt file makes reads fail; the error names the file, not its content.
    QVERIFY(await(SecretStore::write(QStringLiteral("k"), QStringLiteral("hidden-value"))).ok());
    QFile file(SecretStore::fallbackFilePath());
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("{\"k\": \"hidden-value\"");
    file.close();
    auto r = await(SecretStore::read(QStringLiteral("k")));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind(), Error::Kind::Io);
    QVERIFY(!r.error().toString().contains(QStringLiteral("hidden-value")));
    QVERIFY(file.remove());
}

void tst_SecretStore::keychainFailureFallsBack()
{
    // In a child process without a D-Bus session (no keychain service), the automatic mode
    // must fall back to the file and warn once with its path.
    if (qEnvironmentVariableIsSet("BOX_SECRET_STORE_CHILD")) {
        QSKIP("child");
    }
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("BOX_SECRET_STORE"));
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    env.remove(QStringLiteral("DISPLAY"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.path() + QStringLiteral("/child"));
    env.insert(QStringLiteral("BOX_SECRET_STORE_CHILD"), QStringLiteral("1"));
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("childWriteRead")});
    QVERIFY(child.waitForFinished(60000));
    const QString output =
        QString::fromLocal8Bit(child.readAllStandardOutput() + child.readAllStandardError());
    QVERIFY2(child.exitCode() == 0, qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("no keychain service")), qPrintable(output));
    // The reason must come from QtKeychain itself, i.e. the module was found and asked.
    QVERIFY2(!output.contains(QStringLiteral("module not loaded")), qPrintable(output));
    QVERIFY2(output.contains(m_home.path() + QStringLiteral("/child/box-console/secrets.json")),
             qPrintable(output));
    QVERIFY(QFile::exists(m_home.path() + QStringLiteral("/child/box-console/secrets.json")));
}

void tst_SecretStore::keychainModuleLoadsOnDemand()
{
    // The file mode of this process never needed the module; asking for it loads it from
    // the build tree, and it is the QtKeychain one (the only exported entry point).
    const auto mapped = [] {
        QFile maps(QStringLiteral("/proc/self/maps"));
        return maps.open(QIODevice::ReadOnly) ? maps.readAll() : QByteArray();
    };
    QVERIFY(!mapped().contains("libqt6keychain"));
    QString error;
    QVERIFY2(KeychainLoader::backend(&error), qPrintable(error));
    const QByteArray after = mapped();
    QVERIFY(after.contains("libbox-keychain.so"));
    QVERIFY(after.contains("libqt6keychain"));
}

// Runs only in the child (see keychainFailureFallsBack).
class ChildRunner : public QObject
{
    Q_OBJECT
private slots:
    void childWriteRead()
    {
        QVERIFY(await(SecretStore::write(QStringLiteral("t"), QStringLiteral("v1")), 50000).ok());
        QVERIFY(SecretStore::usingFallback());
        QCOMPARE(await(SecretStore::read(QStringLiteral("t"))).value(), QStringLiteral("v1"));
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("BOX_SECRET_STORE_CHILD")) {
        ChildRunner runner;
        return QTest::qExec(&runner, argc, argv);
    }
    tst_SecretStore tc;
    return QTest::qExec(&tc, argc, argv);
}

#include "tst_secretstore.moc"
