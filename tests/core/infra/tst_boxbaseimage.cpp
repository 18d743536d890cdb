// ctest: labels=docker;slow;boximage timeout=900
#include "core/infra/egresspolicy.h"
#include "core/infra/haproxyconfiggenerator.h"
#include "core/infra/skilldockerfilegenerator.h"
#include "egressfixture.h"

#include <QCoreApplication>
#include <QTest>

using bc::test::EgressFixture;

// The real box image (infrastructure/box-base) on the real engine: the Debian base is made
// with debootstrap + docker import (cached: skipped when the image exists), the box image
// is built from the local context only, and a box runs hardened (read-only root, network
// none, uid 1000, no capabilities) until its HEALTHCHECK on the box-agent says healthy,
// with the egress forwarders listening on loopback.
class tst_BoxBaseImage : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<EgressFixture> m_fx;
    QString m_docker;
    QString m_name;
    const QString m_image = QStringLiteral("box-console/box-base:test");
    QString m_socketDir;
    static constexpr int EgressGid = 4244;
    QProcess *m_proxy = nullptr;

    int docker(const QStringList &args, QByteArray *out = nullptr, int timeoutMs = 60000)
    {
        QByteArray buffer;
        const int rc = m_fx->run(m_docker, args, &buffer, timeoutMs);
        if (out)
            *out = buffer.trimmed();
        return rc;
    }

    QByteArray inBox(const QString &script, int *rc = nullptr)
    {
        QByteArray out;
        const int code = docker(
            {QStringLiteral("exec"), m_name, QStringLiteral("sh"), QStringLiteral("-c"), script},
            &out);
        if (rc)
            *rc = code;
        return out;
    }

private slots:
    void initTestCase()
    {
        if (!EgressFixture::missingTool({QStringLiteral("docker")}).isEmpty())
            QSKIP("docker CLI not installed");
        m_fx = std::make_unique<EgressFixture>();
        m_docker = EgressFixture::tool(QStringLiteral("docker"));
        if (docker({QStringLiteral("version")}) != 0)
            QSKIP("no Docker engine reachable");
        m_name = QStringLiteral("bctest-infra-boxbase-%1").arg(QCoreApplication::applicationPid());
        const QString src = QString::fromLocal8Bit(qgetenv("BOX_SOURCE_DIR"));
        QByteArray out;
        if (docker({QStringLiteral("image"), QStringLiteral("inspect"),
                    QStringLiteral("box-console/debian-base:bookworm")}) != 0) {
            if (!EgressFixture::missingTool({QStringLiteral("debootstrap")}).isEmpty())
                QSKIP("box-console/debian-base:bookworm missing and debootstrap not installed");
            const int rc =
                m_fx->run(src + QStringLiteral("/infrastructure/box-base/build-debian-base.sh"), {},
                          &out, 600000);
            if (rc != 0)
                QSKIP(qPrintable(QStringLiteral("could not build the Debian base (mirror "
                                                "unreachable?): %1")
                                     .arg(QString::fromUtf8(out.right(400)))));
        }
        QVERIFY2(docker({QStringLiteral("build"), QStringLiteral("-q"), QStringLiteral("--network"),
                         QStringLiteral("none"), QStringLiteral("--label"),
                         QStringLiteral("box-console.test=1"), QStringLiteral("-t"), m_image,
                         src + QStringLiteral("/infrastructure/box-base")},
                        &out, 600000) == 0,
                 out.constData());

        // The default policy, aimed at a local TLS upstream with a test CA.
        // The box's own directory below the proxy's socket root (per-box layout).
        m_socketDir = m_fx->path(QStringLiteral("egress/base"));
        QVERIFY(QDir().mkpath(m_socketDir));
        QVERIFY(QFile::setPermissions(
            m_socketDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup |
                             QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther));
        if (!EgressFixture::missingTool(
                 {QStringLiteral("haproxy"), QStringLiteral("openssl"), QStringLiteral("python3")})
                 .isEmpty())
            return;
        QVERIFY(m_fx->makeCertificates());
        const int port = m_fx->startUpstream(QStringLiteral("server"));
        QVERIFY(port > 0);
        nlohmann::json policy = bc::infra::EgressPolicy::defaultPolicy().toJson();
        for (auto &u : policy["upstreams"]) {
            u["host"] = "localhost";
            u["port"] = port;
        }
        auto parsed = bc::infra::EgressPolicy::fromJson(policy);
        QVERIFY(parsed.ok());
        bc::infra::HaproxyConfigGenerator::Options o;
        o.socketDir = m_fx->path(QStringLiteral("egress"));
        o.caFile = m_fx->path(QStringLiteral("ca.crt"));
        o.dnsResolvers = false;
        o.socketGroup = EgressGid; // 0660 sockets; the box gets the group (--group-add)
        auto cfg = bc::infra::HaproxyConfigGenerator(o).generate(
            parsed.value(),
            {{QStringLiteral("base"), {QStringLiteral("anthropic"), QStringLiteral("resend")}}});
        QVERIFY(cfg.ok());
        QProcessEnvironment env;
        env.insert(QStringLiteral("ANTHROPIC_API_KEY"), QStringLiteral("sk-ant-REAL-boxbase"));
        env.insert(QStringLiteral("RESEND_API_KEY"), QStringLiteral("re_REAL_boxbase"));
        m_proxy = m_fx->startHaproxy(cfg.value(), env,
                                     {m_socketDir + QStringLiteral("/anthropic.sock"),
                                      m_socketDir + QStringLiteral("/resend.sock")});
        QVERIFY(m_proxy);
    }

    void cleanupTestCase()
    {
        if (!m_fx || m_name.isEmpty())
            return;
        docker({QStringLiteral("rm"), QStringLiteral("-f"), m_name});
        // The labelled test images go; the unlabelled Debian base stays as the cache.
        docker({QStringLiteral("rmi"), QStringLiteral("-f"),
                QStringLiteral("box-console/box-skills:test")});
        docker({QStringLiteral("rmi"), QStringLiteral("-f"), m_image});
        m_fx.reset();
    }

    void hardenedBoxBecomesHealthy()
    {
        QByteArray out;
        QVERIFY2(
            docker({QStringLiteral("run"),
                    QStringLiteral("-d"),
                    QStringLiteral("--name"),
                    m_name,
                    QStringLiteral("--label"),
                    QStringLiteral("box-console.test=1"),
                    QStringLiteral("--network"),
                    QStringLiteral("none"),
                    QStringLiteral("--read-only"),
                    QStringLiteral("--cap-drop"),
                    QStringLiteral("ALL"),
                    QStringLiteral("--security-opt"),
                    QStringLiteral("no-new-privileges"),
                    QStringLiteral("--user"),
                    QStringLiteral("1000:1000"),
                    QStringLiteral("--pids-limit"),
                    QStringLiteral("100"),
                    QStringLiteral("--memory"),
                    QStringLiteral("512m"),
                    QStringLiteral("--memory-swap"),
                    QStringLiteral("512m"),
                    QStringLiteral("--tmpfs"),
                    QStringLiteral("/tmp:rw,noexec,nosuid,nodev,size=64m"),
                    QStringLiteral("--health-interval"),
                    QStringLiteral("1s"),
                    QStringLiteral("--mount"),
                    QStringLiteral("type=bind,src=%1,dst=/run/egress,readonly").arg(m_socketDir),
                    QStringLiteral("--group-add"),
                    QString::number(EgressGid),
                    m_image},
                   &out) == 0,
            out.constData());
        QByteArray health;
        QDeadlineTimer deadline(60000);
        while (!deadline.hasExpired()) {
            docker({QStringLiteral("inspect"), QStringLiteral("-f"),
                    QStringLiteral("{{.State.Health.Status}}"), m_name},
                   &health);
            if (health == "healthy" || health == "unhealthy")
                break;
            QThread::msleep(500);
        }
        QByteArray logs;
        docker({QStringLiteral("logs"), m_name}, &logs);
        QVERIFY2(health == "healthy", QByteArray(health + " / " + logs).constData());

        QCOMPARE(inBox(QStringLiteral("id -u")), QByteArrayLiteral("1000"));
        QVERIFY(inBox(QStringLiteral("curl -fsS http://127.0.0.1:9999/health")).contains("\"ok\""));
        // Both egress forwarders listen on loopback (8081 = 0x1F91, 8082 = 0x1F92).
        const QByteArray tcp = inBox(QStringLiteral("cat /proc/net/tcp"));
        QVERIFY2(tcp.contains("0100007F:1F91") && tcp.contains("0100007F:1F92"), tcp.constData());
        int rc = 0;
        inBox(QStringLiteral("touch /usr/x 2>/dev/null"), &rc);
        QVERIFY(rc != 0); // read-only root
        const QByteArray env = inBox(QStringLiteral("env"));
        QVERIFY(env.contains("ANTHROPIC_BASE_URL=http://127.0.0.1:8081"));
        QVERIFY(!env.contains("API_KEY"));
        // The image's own socat forwarders and curl, through the generated HAProxy config:
        // the box's placeholder key is replaced by the proxy's.
        if (m_proxy) {
            const QByteArray reply =
                inBox(QStringLiteral("curl -sS -X POST -H 'x-api-key: sk-ant-BOX-PLACEHOLDER' "
                                     "-d '{}' \"$ANTHROPIC_BASE_URL/v1/messages\""));
            QVERIFY2(reply.contains("\"x-api-key\": \"sk-ant-REAL-boxbase\""), reply.constData());
            QVERIFY(!reply.contains("PLACEHOLDER"));
            const QByteArray resend =
                inBox(QStringLiteral("curl -sS -X POST -H 'Authorization: Bearer mine' -d '{}' "
                                     "\"$RESEND_BASE_URL/emails\""));
            QVERIFY2(resend.contains("\"authorization\": \"Bearer re_REAL_boxbase\""),
                     resend.constData());
            QCOMPARE(inBox(QStringLiteral("curl -s -o /dev/null -w '%{http_code}' "
                                          "\"$ANTHROPIC_BASE_URL/v1/files\"")),
                     QByteArrayLiteral("403"));
        } else {
            qInfo("haproxy/openssl/python3 missing: egress through the image not checked");
        }
        // No setuid/setgid binaries left in the image (CIS 4.8).
        QCOMPARE(inBox(QStringLiteral("find / -xdev -perm /6000 -type f 2>/dev/null | wc -l")),
                 QByteArrayLiteral("0"));
    }

    // A box image from skills, built offline on top of the base: the generated Dockerfile
    // and build context are what docker build accepts, and SKILL.md lands in the home.
    void skillImageBuilds()
    {
        const QString skill = m_fx->path(QStringLiteral("skills-src/notes"));
        QVERIFY(QDir().mkpath(skill));
        QFile md(skill + QStringLiteral("/SKILL.md"));
        QVERIFY(md.open(QIODevice::WriteOnly));
        md.write("# notes skill\n");
        md.close();
        bc::infra::SkillDockerfileGenerator::Options o;
        o.baseImage = m_image;
        auto out = bc::infra::SkillDockerfileGenerator(o).generateFromDirectories({skill});
        QVERIFY(out.ok());
        const QString context = m_fx->path(QStringLiteral("skill-context"));
        QVERIFY(QDir().mkpath(context));
        QFile dockerfile(context + QStringLiteral("/Dockerfile"));
        QVERIFY(dockerfile.open(QIODevice::WriteOnly));
        dockerfile.write(out->dockerfile.toUtf8());
        dockerfile.close();
        for (const auto &file : out->files) {
            const QString target = context + u'/' + file.first;
            QVERIFY(QDir().mkpath(QFileInfo(target).path()));
            QVERIFY(QFile::copy(file.second, target));
        }
        const QString tag = QStringLiteral("box-console/box-skills:test");
        QByteArray log;
        QVERIFY2(docker({QStringLiteral("build"), QStringLiteral("-q"), QStringLiteral("--network"),
                         QStringLiteral("none"), QStringLiteral("--label"),
                         QStringLiteral("box-console.test=1"), QStringLiteral("-t"), tag, context},
                        &log, 300000) == 0,
                 log.constData());
        QByteArray content;
        QCOMPARE(
            docker({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--label"),
                    QStringLiteral("box-console.test=1"), QStringLiteral("--network"),
                    QStringLiteral("none"), QStringLiteral("--entrypoint"), QStringLiteral("cat"),
                    tag, QStringLiteral("/home/coder/.skills/notes/SKILL.md")},
                   &content),
            0);
        QCOMPARE(content, QByteArrayLiteral("# notes skill"));
        QByteArray user;
        docker({QStringLiteral("image"), QStringLiteral("inspect"), QStringLiteral("-f"),
                QStringLiteral("{{.Config.User}}"), tag},
               &user);
        QCOMPARE(user, QByteArrayLiteral("1000:1000"));
        docker({QStringLiteral("rmi"), tag});
    }
};

QTEST_GUILESS_MAIN(tst_BoxBaseImage)
#include "tst_boxbaseimage.moc"
