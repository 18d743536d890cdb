// ctest: labels=docker timeout=300
// Several engines at once, some of them broken: one accepts connections and never answers,
// one answers a list with a truncated body, one (a private dockerd) goes down while the
// lists are in flight and comes back, and the real engine works. The console's path
// (BoxMonitor) and `boxctl ls` must show the good engines' rows without waiting for the
// bad ones (each has its own timeout), and name each failed engine with its error.
//
// The engine stopped here is a private dockerd of this test (tests/support/privatedockerd):
// stopping it cuts off nobody else.

#include "core/boxes/boxmonitor.h"
#include "core/boxes/dockerbackend.h"
#include "support/boxctlrunner.h"
#include "support/dockerendpoint.h"
#include "support/dockerfixture.h"
#include "support/fakehttpserver.h"
#include "support/privatedockerd.h"
#include "support/testutil.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocalSocket>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace bc;
using namespace bc::boxes;
using namespace bc::test;

namespace {

constexpr int EngineTimeoutMs = 1500;

// Accepts every connection and never writes a byte back.
void hangForever(FakeHttpServer &server)
{
    server.handler = [](QIODevice *, const FakeHttpServer::Request &) {};
}

// A daemon that pings fine and then cuts the container list off a third of the way in.
void truncateLists(FakeHttpServer &server)
{
    server.handler = [](QIODevice *socket, const FakeHttpServer::Request &r) {
        if (r.target.contains("/_ping")) {
            socket->write("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: text/plain\r\n"
                          "Content-Length: " +
                          QByteArray(r.method == "HEAD" ? "0" : "2") + "\r\n\r\n" +
                          QByteArray(r.method == "HEAD" ? "" : "OK"));
            return;
        }
        const QByteArray body = "[{\"Id\":\"0123456789ab\",\"Names\":[\"/cut-1\"],"
                                "\"Labels\":{\"box-console.box\":\"cut-1\"}},"
                                "{\"Id\":\"ba9876543210\",\"Names\":[\"/cut-2\"],\"Labe";
        socket->write("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
                      "Content-Length: " +
                      QByteArray::number(body.size() * 3) + "\r\n\r\n" + body);
        if (auto *local = qobject_cast<QLocalSocket *>(socket))
            local->disconnectFromServer();
        else
            socket->close();
    };
}

http::Endpoint unixEndpoint(const QString &path)
{
    http::Endpoint e;
    e.transport = http::Endpoint::Transport::Unix;
    e.socketPath = path;
    return e;
}

struct Listed
{
    qint64 ms = -1;
    int boxes = 0;
    QString error;
};

} // namespace

class TestMultiEngine : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<LabelledCleanup> m_cleanup;
    std::unique_ptr<PrivateDockerd> m_private;
    QStringList m_realNames;
    QStringList m_privateNames;
    FakeHttpServer m_hang;
    FakeHttpServer m_truncated;

private slots:
    void initTestCase()
    {
        QVERIFY2(dockerAvailable(), "the docker CLI reaches no engine");
        m_cleanup = std::make_unique<LabelledCleanup>();
        for (int i = 0; i < 2; ++i) {
            const QString name = uniqueName(QStringLiteral("multi"));
            int code = -1;
            QString errors;
            runDocker({QStringLiteral("create"), QStringLiteral("--label"), testLabel(),
                       QStringLiteral("--label"), QStringLiteral("box-console.box=") + name,
                       QStringLiteral("--network"), QStringLiteral("none"),
                       QStringLiteral("--name"), name, testImage(), QStringLiteral("sleep"),
                       QStringLiteral("3600")},
                      &code, &errors);
            QVERIFY2(code == 0, qPrintable(errors));
            m_realNames << name;
        }

        m_private = std::make_unique<PrivateDockerd>(QStringLiteral("me"),
                                                     QStringLiteral("10.219.60.1/24"));
        QVERIFY2(m_private->start(), qPrintable(m_private->log()));
        // The image comes from the main engine, never from a registry.
        QTemporaryDir dir;
        const QString tar = dir.path() + QStringLiteral("/image.tar");
        int code = -1;
        QString errors;
        runDocker({QStringLiteral("save"), QStringLiteral("-o"), tar, testImage()}, &code, &errors);
        QVERIFY2(code == 0, qPrintable(errors));
        m_private->docker({QStringLiteral("load"), QStringLiteral("-q"), QStringLiteral("-i"), tar},
                          &code, &errors);
        QVERIFY2(code == 0, qPrintable(errors));
        for (int i = 0; i < 2; ++i) {
            const QString name = QStringLiteral("private-%1").arg(i + 1);
            m_private->docker({QStringLiteral("create"), QStringLiteral("--label"),
                               QStringLiteral("box-console.box=") + name,
                               QStringLiteral("--network"), QStringLiteral("none"),
                               QStringLiteral("--name"), name, testImage(), QStringLiteral("sleep"),
                               QStringLiteral("3600")},
                              &code, &errors);
            QVERIFY2(code == 0, qPrintable(errors));
            m_privateNames << name;
        }

        QVERIFY(m_hang.listenUnix());
        hangForever(m_hang);
        QVERIFY(m_truncated.listenUnix());
        truncateLists(m_truncated);
    }

    void cleanupTestCase()
    {
        m_private.reset(); // stops the private dockerd, removes its data-root and bridge
        m_cleanup.reset();
    }

    // The console's path: every backend listed at once, each answer merged as it comes.
    void monitorShowsGoodEnginesAndNamesBadOnes()
    {
        DockerBackend real(defaultEndpoint());
        DockerBackend hang(unixEndpoint(m_hang.socketPath()));
        DockerBackend truncated(unixEndpoint(m_truncated.socketPath()));
        DockerBackend restarting(unixEndpoint(m_private->socketPath()));
        for (DockerBackend *b : {&real, &hang, &truncated, &restarting})
            b->setListTimeout(EngineTimeoutMs);

        BoxMonitor monitor;
        monitor.setStatsInterval(0);
        for (DockerBackend *b : {&real, &hang, &truncated, &restarting})
            monitor.addBackend(b);
        QHash<QString, Listed> listed;
        QElapsedTimer clock;
        connect(&monitor, &BoxMonitor::backendListed, this,
                [&](const QString &id, int boxes, const QString &error) {
                    if (!listed.contains(id))
                        listed.insert(id, {clock.elapsed(), boxes, error});
                });

        // The private engine goes down while its list is on the way (SIGTERM to its own
        // process id; the stop itself is awaited later, so this loop keeps running).
        QFile pidFile(m_private->runDir() + QStringLiteral("/docker.pid"));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const pid_t pid = pid_t(pidFile.readAll().trimmed().toInt());
        QVERIFY(pid > 1);
        clock.start();
        monitor.start();
        ::kill(pid, SIGTERM);

        QVERIFY2(waitUntil([&] { return listed.size() == 4; }, 15000),
                 qPrintable(QStringLiteral("%1 of 4 backends answered").arg(listed.size())));
        const qint64 total = clock.elapsed();

        // The real engine's rows came at once, not after the hung engine's timeout.
        const Listed r = listed.value(real.id());
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY2(r.ms < EngineTimeoutMs, qPrintable(QString::number(r.ms)));
        QStringList names;
        for (const BoxInfo &b : monitor.boxes())
            names << b.name;
        for (const QString &n : std::as_const(m_realNames))
            QVERIFY2(names.contains(n), qPrintable(n));

        // The hung one failed by its own timeout and is named with it.
        const Listed h = listed.value(hang.id());
        QVERIFY2(h.error.contains(QLatin1String("no answer")), qPrintable(h.error));
        QVERIFY2(h.error.contains(m_hang.socketPath()), qPrintable(h.error));
        QVERIFY(h.ms >= EngineTimeoutMs - 50);
        QVERIFY(!monitor.isConnected(hang.id()));
        QVERIFY(monitor.disconnectReason(hang.id()).contains(QLatin1String("no answer")));

        // The truncated answer is an error, and none of its half rows was shown.
        const Listed t = listed.value(truncated.id());
        QVERIFY2(!t.error.isEmpty(), "a truncated list was taken as complete");
        QVERIFY2(t.ms < EngineTimeoutMs, qPrintable(QString::number(t.ms)));
        QVERIFY(!monitor.isConnected(truncated.id()));
        QVERIFY(!names.contains(QStringLiteral("cut-1")));

        // All at once: the whole round took about the slowest engine, not the sum.
        QVERIFY2(total < EngineTimeoutMs + 1500, qPrintable(QString::number(total)));

        // The private engine comes back: the next round shows its rows, the others stay.
        m_private->stop();
        QVERIFY2(m_private->start(), qPrintable(m_private->log()));
        listed.clear();
        clock.restart();
        monitor.resyncNow();
        QVERIFY(waitUntil([&] { return listed.contains(restarting.id()); }, 15000));
        const Listed p = listed.value(restarting.id());
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        QCOMPARE(p.boxes, 2);
        QVERIFY(waitUntil([&] { return listed.size() == 4; }, 15000));
        names.clear();
        for (const BoxInfo &b : monitor.boxes())
            names << b.name;
        for (const QString &n : m_realNames + m_privateNames)
            QVERIFY2(names.contains(n), qPrintable(n));
        QVERIFY(monitor.isConnected(restarting.id()));
        QVERIFY(!monitor.isConnected(hang.id()));
        monitor.stop();
    }

    // `boxctl ls` over the real engine and the two broken ones: the real rows are printed,
    // the broken engines are the errors entry, the exit status is 1, and the hung engine
    // costs its timeout, not the 60 s a request may wait for its headers.
    void lsListsGoodEnginesAndNamesBadOnes()
    {
        QTemporaryDir home;
        QProcessEnvironment env = isolatedEnvironment(home.path());
        const QString realUrl = defaultEndpoint().toUrl();
        env.insert(QStringLiteral("DOCKER_HOST"), realUrl);
        const QString hangUrl = QStringLiteral("unix://") + m_hang.socketPath();
        const QString truncatedUrl = QStringLiteral("unix://") + m_truncated.socketPath();
        {
            QSettings s(env.value(QStringLiteral("XDG_CONFIG_HOME")) +
                            QStringLiteral("/box-console/box-console.conf"),
                        QSettings::IniFormat);
            s.setValue(QStringLiteral("docker/endpoints"),
                       QStringList{realUrl, hangUrl, truncatedUrl});
        }
        // The fakes live in this process: keep its event loop running while boxctl runs.
        QProcess p;
        p.setProcessEnvironment(env);
        QElapsedTimer clock;
        clock.start();
        p.start(boxctlPath(),
                {QStringLiteral("ls"), QStringLiteral("--json"), QStringLiteral("--no-stats"),
                 QStringLiteral("--timeout"), QString::number(EngineTimeoutMs / 1000.0)});
        QVERIFY(p.waitForStarted());
        QVERIFY(waitUntil([&] { return p.state() == QProcess::NotRunning; }, 30000));
        const qint64 ms = clock.elapsed();
        const QByteArray out = p.readAllStandardOutput();
        const QByteArray err = p.readAllStandardError();
        const QString describe =
            QString::fromUtf8("exit %1 after %2 ms\n%3\n%4")
                .arg(p.exitCode())
                .arg(ms)
                .arg(QString::fromUtf8(out.left(2000)), QString::fromUtf8(err));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(ms < EngineTimeoutMs + 2500, qPrintable(describe));
        const QJsonObject doc = QJsonDocument::fromJson(out).object();
        QStringList names;
        for (const QJsonValue &b : doc.value(QStringLiteral("boxes")).toArray())
            names << b.toObject().value(QStringLiteral("name")).toString();
        for (const QString &n : std::as_const(m_realNames))
            QVERIFY2(names.contains(n), qPrintable(describe));
        QVERIFY2(!names.contains(QStringLiteral("cut-1")), qPrintable(describe));
        const QJsonArray errors = doc.value(QStringLiteral("errors")).toArray();
        QCOMPARE(errors.size(), 2);
        QString hangError, truncatedError;
        for (const QJsonValue &e : errors) {
            const QJsonObject o = e.toObject();
            const QString message = o.value(QStringLiteral("error"))
                                        .toObject()
                                        .value(QStringLiteral("message"))
                                        .toString();
            if (o.value(QStringLiteral("host")).toString().contains(m_hang.socketPath()))
                hangError = message;
            else if (o.value(QStringLiteral("host")).toString().contains(m_truncated.socketPath()))
                truncatedError = message;
        }
        QVERIFY2(hangError.contains(QLatin1String("no answer")), qPrintable(describe));
        QVERIFY2(!truncatedError.isEmpty(), qPrintable(describe));
        QVERIFY2(err.contains(m_hang.socketPath().toUtf8()), qPrintable(describe));
    }
};

QTEST_GUILESS_MAIN(TestMultiEngine)
#include "tst_multiengine.moc"
