// ctest: labels=app timeout=120
// boxctl serve as a process, without an engine: the alert webhooks the console stored are
// read from the secret store (the settings file holds only references), --webhook flags
// win, and a secret that is gone or broken fails naming the entry, never printing a URL.
#include "core/boxes/consolesettings.h"
#include "core/boxes/webhooksecrets.h"
#include "core/util/secretstore.h"

#include "support/boxctlrunner.h"
#include "support/testutil.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace bc;
using namespace bc::test;
using boxes::ConsoleSettings;
using boxes::Webhook;
using boxes::WebhookSecrets;
using util::SecretStore;

class tst_BoxctlServe : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QProcessEnvironment m_env;

    QString settingsPath() const
    {
        // Where boxctl's QSettings("box-console", "box-console") lives under XDG_CONFIG_HOME.
        return m_home.filePath(QStringLiteral(".config/box-console/box-console.conf"));
    }

    static Webhook hook(const QString &url, const QString &kind)
    {
        Webhook w;
        w.url = url;
        w.kind = kind;
        return w;
    }

    // Starts serve, waits for its start line, stops it with SIGTERM; all it printed.
    QByteArray serveUntilStarted(const QStringList &extra, int *exitCode)
    {
        QProcess p;
        p.setProcessEnvironment(m_env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(boxctlPath(), QStringList{QStringLiteral("--backend"), QStringLiteral("docker"),
                                          QStringLiteral("serve")} +
                                  extra);
        if (!p.waitForStarted(10000))
            return "did not start";
        QByteArray out;
        (void)waitUntil(
            [&] {
                out += p.readAll();
                return out.contains(" policy service for ") || p.state() == QProcess::NotRunning;
            },
            30000);
        p.terminate();
        if (!p.waitForFinished(15000))
            p.kill();
        p.waitForFinished(5000);
        out += p.readAll();
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        m_env = isolatedEnvironment(m_home.path());
        m_env.insert(QStringLiteral("BOX_SECRET_STORE"), QStringLiteral("file"));
        // No engine: the service starts, and stands by.
        m_env.insert(QStringLiteral("DOCKER_HOST"),
                     QStringLiteral("unix://") + m_home.filePath(QStringLiteral("no.sock")));
        // This process writes the same secret file boxctl reads.
        qputenv("XDG_CONFIG_HOME", m_env.value(QStringLiteral("XDG_CONFIG_HOME")).toUtf8());
        qputenv("BOX_SECRET_STORE", "file");
        QVERIFY(SecretStore::fallbackFilePath().startsWith(m_home.path()));
    }

    void webhooksComeFromTheSecretStore()
    {
        {
            ConsoleSettings settings(settingsPath());
            QVERIFY(await(WebhookSecrets::save(
                settings,
                {hook(QStringLiteral("https://hooks.slack.com/services/T9/B9/SSSSt0kenSSSS"),
                      QStringLiteral("slack")),
                 hook(QStringLiteral("http://127.0.0.1:9/alerts/PPPPt0kenPPPP"),
                      QStringLiteral("plain"))})));
        }
        QFile file(settingsPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray onDisk = file.readAll();
        QVERIFY2(!onDisk.contains("t0ken"), onDisk.constData());

        int exitCode = -1;
        QByteArray out = serveUntilStarted({}, &exitCode);
        // Both URLs were read from the store and accepted by the sender's own parser.
        QVERIFY2(out.contains("(2 webhooks)"), out.constData());
        QVERIFY2(!out.contains("t0ken"), out.constData());
        QVERIFY2(exitCode == 0, out.constData());

        // --webhook flags win over the settings.
        out = serveUntilStarted(
            {QStringLiteral("--webhook"), QStringLiteral("https://flag.example.com/hook")},
            &exitCode);
        QVERIFY2(out.contains("(1 webhook)"), out.constData());
        QVERIFY2(exitCode == 0, out.constData());
    }

    // What the store holds is what serve uses: a broken value is refused, masked, as invalid
    // settings are (exit 2), and so is a reference whose secret is gone.
    void brokenOrMissingSecretFails()
    {
        ConsoleSettings settings(settingsPath());
        const QStringList keys = settings.webhookSecretKeys();
        QCOMPARE(keys.size(), 2);
        QVERIFY(await(SecretStore::write(keys.at(1),
                                         QStringLiteral("ftp://files.example.com/FFFFt0kenFFFF")))
                    .ok());
        BoxctlRun r = runBoxctl(
            {QStringLiteral("--backend"), QStringLiteral("docker"), QStringLiteral("serve")}, m_env,
            {}, 30000);
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QVERIFY2(r.err.contains("webhooks[1].url: must be an http(s) URL with a host"),
                 qPrintable(r.describe()));
        QVERIFY2(!r.err.contains("t0ken") && !r.out.contains("t0ken"), qPrintable(r.describe()));

        QVERIFY(await(SecretStore::remove(keys.at(0))).ok());
        r = runBoxctl(
            {QStringLiteral("--backend"), QStringLiteral("docker"), QStringLiteral("serve")}, m_env,
            {}, 30000);
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QStringLiteral("webhooks[0].url: not in the secret store (%1)")
                                    .arg(keys.at(0))
                                    .toUtf8()),
                 qPrintable(r.describe()));
        QVERIFY2(!r.err.contains("t0ken"), qPrintable(r.describe()));
    }
};

QTEST_GUILESS_MAIN(tst_BoxctlServe)
#include "tst_boxctl_serve.moc"
