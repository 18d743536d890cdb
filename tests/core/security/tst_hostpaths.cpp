#include "core/security/hardeningprofile.h"
#include "core/security/hostpaths_p.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace bc::security;

// Host paths are judged by what they are on this host, not by how they are spelled: a
// symlink with a harmless name may lead into the engine's directory or a system tree.
class tst_HostPaths : public QObject
{
    Q_OBJECT

private slots:
    void plainPaths()
    {
        QVERIFY(internal::isSensitiveHostPath(QStringLiteral("/etc")));
        QVERIFY(internal::isSensitiveHostPath(QStringLiteral("/run/docker/x")));
        QVERIFY(internal::isDockerSocketPath(QStringLiteral("/var/run/docker.sock")));
        QVERIFY(!internal::isSensitiveHostPath(QStringLiteral("/run/box-egress/alice")));
        QVERIFY(!internal::isSensitiveHostPath(QStringLiteral("/srv/egress/alice")));
    }

    void symlinkedDirectoryIsResolved()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        // An "egress socket directory" that is really /etc, and one whose parent is.
        const QString link = tmp.filePath(QStringLiteral("egress"));
        QVERIFY(QFile::link(QStringLiteral("/etc"), link));
        QVERIFY(!internal::isSensitiveHostPath(tmp.path()));
        QVERIFY(internal::isSensitiveHostPath(link));
        QVERIFY(internal::isSensitiveHostPath(link + QStringLiteral("/alice")));
        QVERIFY(internal::isSensitiveHostPath(link + QStringLiteral("/not/there/yet")));
        QCOMPARE(internal::resolvedHostPath(link + QStringLiteral("/not/there")),
                 QStringLiteral("/etc/not/there"));

        // A symlink to the engine's socket.
        const QString sock = tmp.filePath(QStringLiteral("api"));
        QVERIFY(QFile::link(QStringLiteral("/var/run/docker.sock"), sock));
        if (QFileInfo::exists(QStringLiteral("/var/run/docker.sock")))
            QVERIFY(internal::isDockerSocketPath(sock));
        // A symlink to /run (which holds the engine socket) as a directory.
        const QString run = tmp.filePath(QStringLiteral("run"));
        QVERIFY(QFile::link(QStringLiteral("/run"), run));
        QVERIFY(internal::isDockerSocketPath(run));
    }

    void createBodyRefusesSymlinkedSocketDirectory()
    {
        QTemporaryDir tmp;
        const QString link = tmp.filePath(QStringLiteral("egress"));
        QVERIFY(QFile::link(QStringLiteral("/etc"), link));
        BoxSpec spec;
        spec.name = QStringLiteral("alice");
        spec.image = QStringLiteral("bctest/box:latest");
        CreateContext ctx;
        ctx.proxySocketDir = link;
        const auto body = HardeningProfile().createBody(spec, ctx);
        const auto verdict = HardeningProfile::validateCreateBody(body);
        QVERIFY(!verdict.ok());
        QVERIFY2(verdict.error().message().contains(QLatin1String("not allowed")),
                 qPrintable(verdict.error().message()));

        // The same body with a real directory passes.
        const QString real = tmp.filePath(QStringLiteral("real"));
        QVERIFY(QDir().mkpath(real));
        ctx.proxySocketDir = real;
        ctx.egressGroupId = 4242;
        const auto ok = HardeningProfile().createBody(spec, ctx);
        QVERIFY2(HardeningProfile::validateCreateBody(ok).ok(),
                 qPrintable(HardeningProfile::validateCreateBody(ok).error().message()));
        QVERIFY(ok["HostConfig"]["GroupAdd"] == nlohmann::json::array({"4242"}));
    }

    void groupAddTakesOnlyOneNumericGroup()
    {
        BoxSpec spec;
        spec.name = QStringLiteral("alice");
        spec.image = QStringLiteral("bctest/box:latest");
        auto body = HardeningProfile().createBody(spec, {});
        QVERIFY(HardeningProfile::validateCreateBody(body).ok());
        for (const nlohmann::json &bad :
             {nlohmann::json::array({"docker"}), nlohmann::json::array({"0"}),
              nlohmann::json::array({"1", "2"}), nlohmann::json("4242")}) {
            body["HostConfig"]["GroupAdd"] = bad;
            QVERIFY2(!HardeningProfile::validateCreateBody(body).ok(), bad.dump().c_str());
        }
    }
};

QTEST_GUILESS_MAIN(tst_HostPaths)
#include "tst_hostpaths.moc"
