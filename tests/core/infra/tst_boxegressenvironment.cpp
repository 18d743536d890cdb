#include "core/infra/boxegressenvironment.h"

#include <QFile>
#include <QTest>

using namespace bc::infra;

class tst_BoxEgressEnvironment : public QObject
{
    Q_OBJECT

private slots:
    void environmentHasBaseUrlsAndNoKeys()
    {
        auto env = BoxEgressEnvironment().environment(EgressPolicy::defaultPolicy());
        QVERIFY(env.ok());
        QCOMPARE(env->value(QStringLiteral("ANTHROPIC_BASE_URL")),
                 QStringLiteral("http://127.0.0.1:8081"));
        QCOMPARE(env->value(QStringLiteral("RESEND_BASE_URL")),
                 QStringLiteral("http://127.0.0.1:8082"));
        QCOMPARE(env->value(QStringLiteral("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC")),
                 QStringLiteral("1"));
        for (auto it = env->cbegin(); it != env->cend(); ++it) {
            QVERIFY2(!it.key().contains(QLatin1String("KEY")), qPrintable(it.key()));
            QVERIFY2(!it.key().contains(QLatin1String("TOKEN")), qPrintable(it.key()));
        }
    }

    void forwarderCommands()
    {
        auto cmds = BoxEgressEnvironment().forwarderCommands(EgressPolicy::defaultPolicy());
        QVERIFY(cmds.ok());
        QCOMPARE(cmds->size(), 2);
        QCOMPARE(cmds->at(0),
                 (QStringList{QStringLiteral("socat"),
                              QStringLiteral("TCP-LISTEN:8081,bind=127.0.0.1,fork,reuseaddr"),
                              QStringLiteral("UNIX-CONNECT:/run/egress/anthropic.sock")}));
        BoxEgressEnvironment::Options o;
        o.socketDir = QStringLiteral("/run/box-egress");
        auto custom = BoxEgressEnvironment(o).forwarderCommands(EgressPolicy::defaultPolicy());
        QCOMPARE(custom->at(1).last(), QStringLiteral("UNIX-CONNECT:/run/box-egress/resend.sock"));
    }

    void entrypointSnippet()
    {
        auto sh = BoxEgressEnvironment().entrypointSnippet(EgressPolicy::defaultPolicy());
        QVERIFY(sh.ok());
        QVERIFY(sh->contains(QLatin1String("socat TCP-LISTEN:8081,bind=127.0.0.1,fork,reuseaddr "
                                           "UNIX-CONNECT:/run/egress/anthropic.sock &\n")));
        QVERIFY(sh->contains(QLatin1String("TCP-LISTEN:8082,")));
    }

    void boxImageForwardersAreTheGeneratedOnes()
    {
        // infrastructure/box-base/egress-forwarders.sh is this output for the default policy.
        auto sh = BoxEgressEnvironment().entrypointSnippet(EgressPolicy::defaultPolicy());
        QVERIFY(sh.ok());
        QFile shipped(QString::fromLocal8Bit(qgetenv("BOX_SOURCE_DIR")) +
                      QStringLiteral("/infrastructure/box-base/egress-forwarders.sh"));
        QVERIFY(shipped.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(shipped.readAll()), sh.value());
    }

    void rejectsUnsafeSocketDir()
    {
        for (const char *bad :
             {"run/egress", "/run/eg ress", "/run/$(id)", "/run/`id`", "/run/a;b"}) {
            BoxEgressEnvironment::Options o;
            o.socketDir = QString::fromLatin1(bad);
            auto r = BoxEgressEnvironment(o).entrypointSnippet(EgressPolicy::defaultPolicy());
            QVERIFY2(!r.ok(), bad);
            QCOMPARE(r.error().kind(), bc::Error::Kind::Invalid);
        }
    }
};

QTEST_GUILESS_MAIN(tst_BoxEgressEnvironment)
#include "tst_boxegressenvironment.moc"
