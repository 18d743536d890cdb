// ctest: labels=coolify
#include "core/util/keychainloader.h"
#include "core/util/secretstore.h"

#include "support/testutil.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

#include <utility>

using namespace bc;
using bc::test::await;
using bc::util::KeychainLoader;
using bc::util::SecretStore;
using namespace Qt::Literals::StringLiterals;

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
    void keychainSearchPaths();
    void keychainModulePermissions();

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

namespace {

bool touchFile(const QString &path, mode_t mode)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.close();
    return ::chmod(QFile::encodeName(path).constData(), mode) == 0;
}

bool makeDir(const QString &path, mode_t mode)
{
    return QDir().mkpath(path) && ::chmod(QFile::encodeName(path).constData(), mode) == 0;
}

} // namespace

void tst_SecretStore::keychainSearchPaths()
{
    // Only the installed layout next to the real executable, and the build tree only for
    // a program that runs from inside it: an installed binary never looks at the path of
    // the tree it was built in, which may since be anyone's (a reused /tmp directory).
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString root = QFileInfo(tmp.path()).canonicalFilePath();
    const QString prefix = root + u"/prefix";
    const QString build = root + u"/build";
    QVERIFY(QDir().mkpath(prefix + u"/bin") && QDir().mkpath(prefix + u"/lib/box-console"));
    QVERIFY(QDir().mkpath(build + u"/bin") && QDir().mkpath(build + u"/tests/core"));
    QVERIFY(QDir().mkpath(build + u"/lib/box-console"));
    QVERIFY(QDir().mkpath(root + u"/build2/bin"));
    QVERIFY(touchFile(prefix + u"/bin/boxctl", 0755));
    QVERIFY(touchFile(build + u"/bin/boxctl", 0755));
    QVERIFY(touchFile(build + u"/tests/core/tst_x", 0755));
    QVERIFY(touchFile(root + u"/build2/bin/boxctl", 0755));
    QVERIFY(QFile::link(prefix + u"/bin/boxctl", build + u"/bin/linked"));
    QVERIFY(QFile::link(build + u"/bin/boxctl", prefix + u"/bin/dev-boxctl"));

    // Installed: its own lib dir only, although the build tree exists.
    QCOMPARE(KeychainLoader::searchPaths(prefix + u"/bin/boxctl", build),
             QStringList{prefix + u"/lib/box-console"});
    // Its build tree gone (or never on this machine): the same.
    QCOMPARE(KeychainLoader::searchPaths(prefix + u"/bin/boxctl", root + u"/gone"),
             QStringList{prefix + u"/lib/box-console"});
    // Run from the build tree: bin/../lib/box-console is the build tree's module dir.
    QCOMPARE(KeychainLoader::searchPaths(build + u"/bin/boxctl", build),
             QStringList{build + u"/lib/box-console"});
    // A test program deeper in the build tree: both.
    QCOMPARE(KeychainLoader::searchPaths(build + u"/tests/core/tst_x", build),
             QStringList({build + u"/tests/lib/box-console", build + u"/lib/box-console"}));
    // A link in the build tree to an installed binary: the real executable decides.
    QCOMPARE(KeychainLoader::searchPaths(build + u"/bin/linked", build),
             QStringList{prefix + u"/lib/box-console"});
    QCOMPARE(KeychainLoader::searchPaths(prefix + u"/bin/dev-boxctl", build),
             QStringList{build + u"/lib/box-console"});
    // "build" is a string prefix of "build2", not a parent directory.
    QCOMPARE(KeychainLoader::searchPaths(root + u"/build2/bin/boxctl", build),
             QStringList{root + u"/build2/lib/box-console"});
    QCOMPARE(KeychainLoader::searchPaths(root + u"/build2/bin/boxctl", root + u"/build2/"),
             QStringList{root + u"/build2/lib/box-console"});
    // No executable known: nothing to search.
    QCOMPARE(KeychainLoader::searchPaths(root + u"/missing/boxctl", build), QStringList());
}

void tst_SecretStore::keychainModulePermissions()
{
    // Runs as root in the test environment: chown stands in for another user's files.
    QVERIFY2(::geteuid() == 0, "the ownership cases need root");
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString root = QFileInfo(tmp.path()).canonicalFilePath();
    QVERIFY(::chmod(QFile::encodeName(root).constData(), 0755) == 0);
    const auto refused = [](const QString &path, const QString &why) {
        const auto r = KeychainLoader::checkModule(path);
        QVERIFY2(!r.ok(), qPrintable(path));
        QVERIFY2(r.error().message().contains(why), qPrintable(r.error().message()));
        QVERIFY2(r.error().message().contains(path), qPrintable(r.error().message()));
    };
    const auto chownTo = [](const QString &path, uid_t uid) {
        return ::lchown(QFile::encodeName(path).constData(), uid, 0) == 0;
    };

    QVERIFY(makeDir(root + u"/ok", 0755));
    QVERIFY(touchFile(root + u"/ok/m.so", 0755));
    QVERIFY_RESULT(KeychainLoader::checkModule(root + u"/ok/m.so"));
    QVERIFY(touchFile(root + u"/ok/readonly.so", 0444));
    QVERIFY_RESULT(KeychainLoader::checkModule(root + u"/ok/readonly.so"));

    QVERIFY(touchFile(root + u"/ok/group.so", 0775));
    refused(root + u"/ok/group.so", u"writable by its group or others"_s);
    QVERIFY(touchFile(root + u"/ok/world.so", 0757));
    refused(root + u"/ok/world.so", u"writable by its group or others"_s);
    QVERIFY(touchFile(root + u"/ok/other.so", 0755));
    QVERIFY(chownTo(root + u"/ok/other.so", 4242));
    refused(root + u"/ok/other.so", u"owned by uid 4242"_s);
    refused(root + u"/ok/missing.so", u"missing.so"_s);

    // The directory it sits in.
    for (const auto &[dir, mode] :
         {std::pair{u"gdir"_s, 0775}, std::pair{u"wdir"_s, 0777}, std::pair{u"sticky"_s, 01777}}) {
        QVERIFY(makeDir(root + u'/' + dir, mode_t(mode)));
        QVERIFY(touchFile(root + u'/' + dir + u"/m.so", 0755));
        refused(root + u'/' + dir + u"/m.so", u"writable by its group or others"_s);
    }
    QVERIFY(makeDir(root + u"/odir", 0755));
    QVERIFY(touchFile(root + u"/odir/m.so", 0755));
    QVERIFY(chownTo(root + u"/odir", 4242));
    refused(root + u"/odir/m.so", u"owned by uid 4242"_s);
    // A directory further up that others may rename entries in.
    QVERIFY(makeDir(root + u"/up", 0777));
    QVERIFY(makeDir(root + u"/up/lib/box-console", 0755));
    QVERIFY(::chmod(QFile::encodeName(root + u"/up/lib").constData(), 0755) == 0);
    QVERIFY(touchFile(root + u"/up/lib/box-console/m.so", 0755));
    refused(root + u"/up/lib/box-console/m.so", u"writable by its group or others"_s);
    // ... unless it is sticky, like /tmp itself.
    QVERIFY(::chmod(QFile::encodeName(root + u"/up").constData(), 01777) == 0);
    QVERIFY_RESULT(KeychainLoader::checkModule(root + u"/up/lib/box-console/m.so"));

    // A symbolic link is judged by what it points to.
    QVERIFY(QFile::link(root + u"/ok/world.so", root + u"/ok/link.so"));
    refused(root + u"/ok/link.so", u"writable by its group or others"_s);
    QVERIFY(QFile::link(root + u"/ok/m.so", root + u"/ok/good-link.so"));
    QVERIFY_RESULT(KeychainLoader::checkModule(root + u"/ok/good-link.so"));

    // The module this test program really loads passes (tests live in <build>/tests).
    QVERIFY_RESULT(KeychainLoader::checkModule(QDir::cleanPath(
        QCoreApplication::applicationDirPath() + u"/../lib/box-console/libbox-keychain.so")));
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
