#include "core/infra/egressproxycontrol.h"

#include <QFile>
#include <QLocalServer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace bc::infra;

// What a deploy does after writing a grant: run the reload command, then wait until the
// proxy serves the box's sockets; and the pid-file reload of boxctl proxy-config.
class tst_EgressProxyControl : public QObject
{
    Q_OBJECT

private slots:
    void reloadCommand()
    {
        QVERIFY(EgressProxyControl::runReloadCommand(QStringLiteral("/bin/true")).ok());
        auto failed = EgressProxyControl::runReloadCommand(
            QStringLiteral("/bin/sh -c \"echo first; echo 'the proxy said no' >&2; exit 3\""));
        QVERIFY(!failed.ok());
        QVERIFY2(failed.error().message().contains(QLatin1String("exit 3")) &&
                     failed.error().message().contains(QLatin1String("the proxy said no")),
                 qPrintable(failed.error().message()));
        QVERIFY(!failed.error().message().contains(QLatin1String("first")));
        QVERIFY(!EgressProxyControl::runReloadCommand(QStringLiteral("/nonexistent/reload")).ok());
        QVERIFY(!EgressProxyControl::runReloadCommand(QStringLiteral("  ")).ok());
        auto slow = EgressProxyControl::runReloadCommand(QStringLiteral("/bin/sleep 5"), 300);
        QVERIFY(!slow.ok());
        QCOMPARE(slow.error().kind(), bc::Error::Kind::Timeout);
    }

    void waitsForListeningSockets()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("anthropic.sock"));
        auto missing = EgressProxyControl::waitForSockets({path}, 300);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message().contains(path));
        QLocalServer server;
        QVERIFY(server.listen(path));
        QVERIFY(EgressProxyControl::waitForSockets({path}, 2000).ok());
        // A socket file nobody listens on any more does not count.
        server.close();
        QVERIFY(!EgressProxyControl::waitForSockets({path}, 300).ok());
    }

    void signalsThePidFromTheFile()
    {
        QTemporaryDir dir;
        const QString pidFile = dir.filePath(QStringLiteral("haproxy.pid"));
        QVERIFY(!EgressProxyControl::signalReload(pidFile).ok()); // missing
        QFile f(pidFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a pid\n");
        f.close();
        QVERIFY(!EgressProxyControl::signalReload(pidFile).ok());

        // A process that reports SIGUSR2.
        QProcess p;
        p.start(
            QStringLiteral("/bin/sh"),
            {QStringLiteral("-c"), QStringLiteral("trap 'echo reloaded; exit 0' USR2; echo ready; "
                                                  "while :; do sleep 0.1; done")});
        QVERIFY(p.waitForReadyRead(5000));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QByteArray::number(p.processId()) + '\n');
        f.close();
        QVERIFY(EgressProxyControl::signalReload(pidFile).ok());
        QVERIFY(p.waitForFinished(5000));
        QVERIFY(p.readAll().contains("reloaded"));
    }
};

QTEST_GUILESS_MAIN(tst_EgressProxyControl)
#include "tst_egressproxycontrol.moc"
