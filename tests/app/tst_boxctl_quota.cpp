// ctest: labels=app;docker timeout=300
// A quota refusal through boxctl as a script sees it: exit 1 (not 2: the spec is fine),
// the message names the quota, --json reports kind "unauthorized", the refusal is in the
// activity log, and nothing of the box exists. Invalid quota settings refuse every deploy
// with exit 2 naming the setting.
#include "support/boxctlrunner.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace bc::test;

class tst_BoxctlQuota : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QProcessEnvironment m_env;
    QString m_name;
    QString m_owner;
    QString m_spec;

    BoxctlRun docker(const QStringList &args)
    {
        return runBoxctl(QStringList{QStringLiteral("--backend"), QStringLiteral("docker")} + args,
                         m_env, {}, 180000);
    }
    void writeQuota(const QString &key, const QString &value)
    {
        QSettings s(m_home.filePath(QStringLiteral(".config/box-console/box-console.conf")),
                    QSettings::IniFormat);
        s.remove(QStringLiteral("quotas"));
        s.beginWriteArray(QStringLiteral("quotas"), 1);
        s.setArrayIndex(0);
        s.setValue(QStringLiteral("owner"), m_owner);
        s.setValue(key, value);
        s.endArray();
        s.sync();
    }
    QStringList containersOfBox()
    {
        return runDocker({QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--filter"),
                          QStringLiteral("label=box-console.box=") + m_name})
            .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(dockerAvailable(), "no Docker engine");
        m_env = isolatedEnvironment(m_home.path());
        m_env.insert(QStringLiteral("BOX_ACTIVITY_DB"),
                     m_home.filePath(QStringLiteral("activity.sqlite")));
        m_name = uniqueName(QStringLiteral("bcquota")).toLower();
        m_owner = m_name + QStringLiteral("@example.com");
        m_spec = m_home.filePath(QStringLiteral("spec.json"));
        writeFile(m_spec, QStringLiteral(R"({"name":"%1","owner":"%2","image":"bctest/box:latest",)"
                                         R"("memory":134217728,"cpus":0.5})")
                              .arg(m_name, m_owner)
                              .toUtf8());
    }
    void cleanupTestCase() { removeLabelled(QStringLiteral("box-console.box=") + m_name); }

    void refusalExitsOneAndNamesTheQuota()
    {
        writeQuota(QStringLiteral("maxCpus"), QStringLiteral("0.25"));
        const QString message =
            QStringLiteral("quota for owner %1: 0.25 CPUs max, has 0, the box asks for 0.5")
                .arg(m_owner);
        BoxctlRun r = docker({QStringLiteral("deploy"), QStringLiteral("--spec"), m_spec});
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        QVERIFY2(QString::fromUtf8(r.err).contains(message), qPrintable(r.describe()));
        QVERIFY(containersOfBox().isEmpty());

        r = docker(
            {QStringLiteral("--json"), QStringLiteral("deploy"), QStringLiteral("--spec"), m_spec});
        QCOMPARE(r.exitCode, 1);
        QJsonObject finished;
        for (const QByteArray &line : r.out.split('\n'))
            if (const auto doc = QJsonDocument::fromJson(line);
                doc.object().value(u"event").toString() == QLatin1String("finished"))
                finished = doc.object();
        QCOMPARE(finished.value(u"ok").toBool(true), false);
        const QJsonObject error = finished.value(u"error").toObject();
        QCOMPARE(error.value(u"kind").toString(), QStringLiteral("unauthorized"));
        QVERIFY2(error.value(u"message").toString().contains(message), qPrintable(r.describe()));
        QVERIFY(containersOfBox().isEmpty());

        const BoxctlRun log =
            runBoxctl({QStringLiteral("activity"), QStringLiteral("--json"),
                       QStringLiteral("--action"), QStringLiteral("quota-refused")},
                      m_env);
        const QJsonArray records = log.json().object().value(u"records").toArray();
        QVERIFY2(records.size() == 2, qPrintable(log.describe()));
        QCOMPARE(records.first().toObject().value(u"box").toString(), m_name);
        QCOMPARE(records.first().toObject().value(u"result").toString(), QStringLiteral("refused"));
    }

    void invalidQuotaSettingsExitTwo()
    {
        writeQuota(QStringLiteral("maxBoxes"), QStringLiteral("-1"));
        const BoxctlRun r = docker({QStringLiteral("deploy"), QStringLiteral("--spec"), m_spec});
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QVERIFY2(QString::fromUtf8(r.err).contains(
                     QStringLiteral("quotas[%1].maxBoxes: must not be negative").arg(m_owner)),
                 qPrintable(r.describe()));
        QVERIFY(containersOfBox().isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_BoxctlQuota)
#include "tst_boxctl_quota.moc"
