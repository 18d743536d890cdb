// ctest: labels=docker;dockerd-restart timeout=240
// restartDockerd() is what the reconnect tests rely on to take the engine away and bring
// it back: it must come back on the same socket, as a new process.
#include "support/dockerfixture.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

using namespace bc::test;

class tst_DockerdRestart final : public QObject
{
    Q_OBJECT

private:
    static QByteArray pidFile()
    {
        QFile f(QStringLiteral("/var/run/docker.pid"));
        return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(dockerAvailable(), "no Docker engine: run scripts/docker-up.sh");
    }

    void restartBringsTheEngineBack()
    {
        const QByteArray before = pidFile();
        QElapsedTimer timer;
        timer.start();
        QVERIFY(restartDockerd(1000));
        QVERIFY(timer.elapsed() >= 1000);
        QVERIFY(dockerAvailable());
        const QByteArray after = pidFile();
        QVERIFY(!after.isEmpty());
        QVERIFY(after != before);
    }
};

QTEST_GUILESS_MAIN(tst_DockerdRestart)
#include "tst_dockerdrestart.moc"
