// ctest: labels=docker timeout=300
#include "core/security/hardeningprofile.h"
#include "core/security/egresslayout.h"
#include "core/security/postureaudit.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cmath>

using namespace Qt::Literals::StringLiterals;
using bc::security::AuditOptions;
using bc::security::BoxSpec;
using bc::security::CreateContext;
using bc::security::Finding;
using bc::security::HardeningProfile;
using bc::security::PostureAudit;
using nlohmann::json;

namespace {

// Every object this test creates carries this prefix and the test label, so cleanup never
// touches containers of other suites running at the same time.
const QString Prefix = u"bcsec-audit-"_s;
const QString TestLabel = u"box-console.test=1"_s;
const QString Image = u"bctest/busybox:latest"_s;

struct Run
{
    int code = -1;
    QByteArray out;
    QByteArray err;
};

Run run(const QString &program, const QStringList &args, const QByteArray &input = {},
        int timeoutMs = 60000)
{
    QProcess p;
    p.start(program, args);
    Run r;
    if (!p.waitForStarted(10000))
        return r;
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

Run docker(const QStringList &args, const QByteArray &input = {})
{
    return run(u"docker"_s, args, input);
}

QString dockerSocket()
{
    const QString host = qEnvironmentVariable("DOCKER_HOST");
    if (host.startsWith(u"unix://"_s))
        return host.mid(7);
    return u"/var/run/docker.sock"_s;
}

QString durationArg(const json &ns)
{
    return QString::number(ns.get<qint64>() / 1000000) + u"ms"_s;
}

// The create body as docker CLI flags: the same profile through the other front door.
QStringList cliArgs(const json &body, const QString &name)
{
    const json &h = body["HostConfig"];
    QStringList a = {u"create"_s, u"--name"_s, name};
    a << u"--user"_s << QString::fromStdString(body["User"].get<std::string>());
    for (const json &c : h["CapDrop"])
        a << u"--cap-drop"_s << QString::fromStdString(c.get<std::string>());
    for (const json &o : h["SecurityOpt"])
        a << u"--security-opt"_s << QString::fromStdString(o.get<std::string>());
    if (h["ReadonlyRootfs"].get<bool>())
        a << u"--read-only"_s;
    for (auto it = h["Tmpfs"].begin(); it != h["Tmpfs"].end(); ++it)
        a << u"--tmpfs"_s << QString::fromStdString(it.key() + ":" + it.value().get<std::string>());
    a << u"--memory"_s << QString::number(h["Memory"].get<qint64>());
    a << u"--memory-swap"_s << QString::number(h["MemorySwap"].get<qint64>());
    a << u"--cpus"_s << QString::number(double(h["NanoCpus"].get<qint64>()) / 1e9);
    a << u"--cpu-shares"_s << QString::number(h["CpuShares"].get<qint64>());
    a << u"--pids-limit"_s << QString::number(h["PidsLimit"].get<qint64>());
    if (h["Init"].get<bool>())
        a << u"--init"_s;
    for (const json &u : h["Ulimits"])
        a << u"--ulimit"_s
          << QString::fromStdString(u["Name"].get<std::string>()) + u'=' +
                 QString::number(u["Soft"].get<qint64>()) + u':' +
                 QString::number(u["Hard"].get<qint64>());
    a << u"--restart"_s
      << u"on-failure:"_s + QString::number(h["RestartPolicy"]["MaximumRetryCount"].get<int>());
    a << u"--network"_s << QString::fromStdString(h["NetworkMode"].get<std::string>());
    a << u"--ipc"_s << QString::fromStdString(h["IpcMode"].get<std::string>());
    a << u"--log-driver"_s << QString::fromStdString(h["LogConfig"]["Type"].get<std::string>());
    for (auto it = h["LogConfig"]["Config"].begin(); it != h["LogConfig"]["Config"].end(); ++it)
        a << u"--log-opt"_s
          << QString::fromStdString(it.key() + "=" + it.value().get<std::string>());
    for (const json &m : h["Mounts"]) {
        QString spec =
            u"type=%1,src=%2,dst=%3"_s.arg(QString::fromStdString(m["Type"].get<std::string>()),
                                           QString::fromStdString(m["Source"].get<std::string>()),
                                           QString::fromStdString(m["Target"].get<std::string>()));
        if (m["ReadOnly"].get<bool>())
            spec += u",readonly"_s;
        if (m.contains("BindOptions"))
            spec += u",bind-propagation="_s +
                    QString::fromStdString(m["BindOptions"]["Propagation"].get<std::string>());
        a << u"--mount"_s << spec;
    }
    for (auto it = body["Labels"].begin(); it != body["Labels"].end(); ++it)
        a << u"--label"_s << QString::fromStdString(it.key() + "=" + it.value().get<std::string>());
    for (const json &e : body["Env"])
        a << u"--env"_s << QString::fromStdString(e.get<std::string>());
    const json &hc = body["Healthcheck"];
    a << u"--health-cmd"_s << QString::fromStdString(hc["Test"][1].get<std::string>());
    a << u"--health-interval"_s << durationArg(hc["Interval"]);
    a << u"--health-timeout"_s << durationArg(hc["Timeout"]);
    a << u"--health-start-period"_s << durationArg(hc["StartPeriod"]);
    a << u"--health-retries"_s << QString::number(hc["Retries"].get<int>());
    a << QString::fromStdString(body["Image"].get<std::string>());
    for (const json &c : body["Cmd"])
        a << QString::fromStdString(c.get<std::string>());
    return a;
}

json inspect(const QString &name)
{
    const Run r = docker({u"inspect"_s, name});
    if (r.code != 0)
        return json();
    return json::parse(r.out.toStdString(), nullptr, false);
}

QString describe(const QList<Finding> &findings)
{
    QStringList out;
    for (const Finding &f : findings)
        out << f.id + u" ("_s + Finding::severityName(f.severity) + u"): "_s + f.detail;
    return out.join(u"\n"_s);
}

bool hasFinding(const QList<Finding> &findings, const QString &id, Finding::Severity min)
{
    for (const Finding &f : findings) {
        if (f.id == id && f.severity >= min)
            return true;
    }
    return false;
}

} // namespace

class tst_PostureAuditDocker final : public QObject
{
    Q_OBJECT
private:
    QString m_suffix = QString::number(QCoreApplication::applicationPid());
    QString m_hardApi = Prefix + u"hard-api-"_s + m_suffix;
    QString m_hardCli = Prefix + u"hard-cli-"_s + m_suffix;
    QString m_weak = Prefix + u"weak-"_s + m_suffix;
    QTemporaryDir m_proxyDir;

    void removeOurObjects()
    {
        // Containers first (they hold the volumes), filtered by our prefix and the test label.
        const Run ps = docker({u"ps"_s, u"-aq"_s, u"--filter"_s, u"label="_s + TestLabel,
                               u"--filter"_s, u"name="_s + Prefix});
        const QStringList ids = QString::fromUtf8(ps.out).split(u'\n', Qt::SkipEmptyParts);
        if (!ids.isEmpty())
            docker(QStringList{u"rm"_s, u"-f"_s, u"-v"_s} + ids);
        // By name, not by label: a container whose labelled volume was already gone when it
        // was created gets one the engine makes without labels (seen after a killed run).
        const Run vols =
            docker({u"volume"_s, u"ls"_s, u"-q"_s, u"--filter"_s, u"name="_s + Prefix});
        QStringList ours;
        for (const QString &v : QString::fromUtf8(vols.out).split(u'\n', Qt::SkipEmptyParts)) {
            if (v.startsWith(Prefix))
                ours << v;
        }
        if (!ours.isEmpty())
            docker(QStringList{u"volume"_s, u"rm"_s, u"-f"_s} + ours);
    }

    BoxSpec hardenedSpec(const QString &name) const
    {
        auto r = BoxSpec::fromJson(
            {{"name", name.toStdString()},
             {"owner", "audit-test"},
             {"image", Image.toStdString()},
             {"cpus", 0.5},
             {"memory", "256m"},
             {"pids", 50},
             {"healthcheck",
              {{"interval", "500ms"}, {"timeout", "2s"}, {"startPeriod", "0s"}, {"retries", 3}}},
             {"command",
              {"sh", "-c",
               "mkdir -p /tmp/www && echo ok > /tmp/www/health && exec httpd "
               "-f -p 127.0.0.1:9999 -h /tmp/www"}}});
        if (!r.ok())
            qFatal("spec: %s", qPrintable(r.error().message()));
        return *r;
    }

    json hardenedBody(const QString &name) const
    {
        CreateContext ctx;
        // The box's own directory below the proxy's socket root, as a deploy mounts it.
        ctx.proxySocketDir = bc::security::EgressLayout::boxSocketDir(m_proxyDir.path(), name);
        if (!QDir().mkpath(ctx.proxySocketDir))
            qFatal("cannot create %s", qPrintable(ctx.proxySocketDir));
        ctx.healthTest = HardeningProfile::busyboxHealthTest();
        ctx.extraLabels.insert(u"box-console.test"_s, u"1"_s);
        return HardeningProfile().createBody(hardenedSpec(name), ctx);
    }

    bool createVolumes(const QString &box)
    {
        for (const QString &v : HardeningProfile::volumeNames(box)) {
            if (docker({u"volume"_s, u"create"_s, u"--label"_s, TestLabel, v}).code != 0)
                return false;
        }
        return true;
    }

private slots:
    void initTestCase()
    {
        if (docker({u"version"_s, u"--format"_s, u"{{.Server.Version}}"_s}).code != 0)
            QSKIP("no Docker engine reachable");
        if (docker({u"image"_s, u"inspect"_s, Image}).code != 0)
            QSKIP("bctest/busybox:latest missing (built by the test script; never pulled)");
        QVERIFY(m_proxyDir.isValid());
        removeOurObjects();
    }

    void cleanupTestCase() { removeOurObjects(); }

    void hardenedViaApiIsCleanAndHealthy()
    {
        const json body = hardenedBody(m_hardApi);
        const auto valid = HardeningProfile::validateCreateBody(body);
        QVERIFY2(valid.ok(), qPrintable(valid.ok() ? QString() : valid.error().message()));
        QVERIFY(createVolumes(m_hardApi));

        // The exact body, sent to the Engine API: proves Docker accepts every field as built.
        const Run r =
            run(u"curl"_s,
                {u"-sS"_s, u"--unix-socket"_s, dockerSocket(), u"-X"_s, u"POST"_s, u"-H"_s,
                 u"Content-Type: application/json"_s, u"--data-binary"_s, u"@-"_s,
                 u"http://localhost/v1.41/containers/create?name="_s + m_hardApi},
                QByteArray::fromStdString(body.dump()));
        QCOMPARE(r.code, 0);
        const json created = json::parse(r.out.toStdString(), nullptr, false);
        QVERIFY2(created.is_object() && created.contains("Id"), r.out.constData());

        QElapsedTimer sinceStart;
        sinceStart.start();
        QCOMPARE(docker({u"start"_s, m_hardApi}).code, 0);
        QDeadlineTimer deadline(30000);
        QString health;
        while (!deadline.hasExpired()) {
            health = QString::fromUtf8(
                docker({u"inspect"_s, u"-f"_s, u"{{.State.Health.Status}}"_s, m_hardApi})
                    .out.trimmed());
            if (health == u"healthy"_s || health == u"unhealthy"_s)
                break;
            QThread::msleep(200);
        }
        QCOMPARE(health, u"healthy"_s);
        qInfo("hardened box healthy %lld ms after docker start (health interval 500 ms)",
              sinceStart.elapsed());

        // Inside: uid 1000, read-only root, writable workspace, read-only proxy directory.
        const Run ex = docker(
            {u"exec"_s, m_hardApi, u"sh"_s, u"-c"_s,
             u"id -u; touch /home/coder/workspace/x && echo ws-ok; "
             u"touch /x 2>/dev/null || echo root-ro; "
             u"test -d /run/egress && (touch /run/egress/y 2>/dev/null || echo proxy-ro)"_s});
        const QString out = QString::fromUtf8(ex.out);
        QVERIFY2(out.startsWith(u"1000\n"_s), qPrintable(out));
        QVERIFY2(out.contains(u"ws-ok"_s), qPrintable(out));
        QVERIFY2(out.contains(u"root-ro"_s), qPrintable(out));
        QVERIFY2(out.contains(u"proxy-ro"_s), qPrintable(out));

        const json info = inspect(m_hardApi);
        QVERIFY(info.is_array());
        AuditOptions o;
        o.proxySocketDir = m_proxyDir.path();
        o.appArmorAvailable = false; // this host runs without AppArmor
        const QList<Finding> findings = PostureAudit::audit(info, o);
        qInfo().noquote() << "hardened (API) findings:\n" << describe(findings);
        QVERIFY2(!PostureAudit::hasHighSeverity(findings), qPrintable(describe(findings)));
        // Only the moving test tag (and, where the kernel cannot limit swap, BOX-SWAP) remain.
        for (const Finding &f : findings)
            QVERIFY2(f.id == u"CIS-5.28"_s || f.id == u"BOX-SWAP"_s,
                     qPrintable(describe(findings)));
    }

    void hardenedViaCliIsClean()
    {
        const json body = hardenedBody(m_hardCli);
        QVERIFY(createVolumes(m_hardCli));
        const Run r = docker(cliArgs(body, m_hardCli));
        QVERIFY2(r.code == 0, r.err.constData());
        const json info = inspect(m_hardCli);
        QVERIFY(info.is_array());
        AuditOptions o;
        o.proxySocketDir = m_proxyDir.path();
        o.appArmorAvailable = false;
        const QList<Finding> findings = PostureAudit::audit(info, o);
        qInfo().noquote() << "hardened (CLI) findings:\n" << describe(findings);
        QVERIFY2(!PostureAudit::hasHighSeverity(findings), qPrintable(describe(findings)));
        for (const Finding &f : findings)
            QVERIFY2(f.id == u"CIS-5.28"_s || f.id == u"BOX-SWAP"_s,
                     qPrintable(describe(findings)));
    }

    void weakenedReportsEveryWeakness()
    {
        // Created, never started: the audit reads configuration, and a privileged container
        // with the engine socket has no business running on a shared test machine. Secrets
        // the old way too: in Env, where `docker inspect` shows them, and a secrets volume
        // the box could write to.
        const Run r = docker({u"create"_s,
                              u"--name"_s,
                              m_weak,
                              u"--label"_s,
                              TestLabel,
                              u"--privileged"_s,
                              u"--cap-add"_s,
                              u"SYS_ADMIN"_s,
                              u"-v"_s,
                              u"/etc:/host-etc"_s,
                              u"-v"_s,
                              u"/var/run/docker.sock:/var/run/docker.sock"_s,
                              u"--security-opt"_s,
                              u"seccomp=unconfined"_s,
                              u"--pid"_s,
                              u"host"_s,
                              u"-p"_s,
                              u"0.0.0.0:18080:80"_s,
                              u"--user"_s,
                              u"root"_s,
                              u"--env"_s,
                              u"ANTHROPIC_API_KEY=sk-ant-api03-WEAKBOXKEY0123456789"_s,
                              u"--env"_s,
                              u"HELPER=ghp_WEAKBOXTOKEN0123456789abcdef"_s,
                              u"--mount"_s,
                              u"type=volume,src="_s + m_weak +
                                  u"-secrets,dst=/run/secrets,volume-label="_s + TestLabel,
                              Image,
                              u"sleep"_s,
                              u"3600"_s});
        QVERIFY2(r.code == 0, r.err.constData());
        const json info = inspect(m_weak);
        QVERIFY(info.is_array());
        AuditOptions o;
        o.appArmorAvailable = false;
        const QList<Finding> findings = PostureAudit::audit(info, o);
        qInfo().noquote() << "weakened findings:\n" << describe(findings);
        QVERIFY(PostureAudit::hasHighSeverity(findings));

        using S = Finding::Severity;
        const QList<QPair<QString, S>> expected = {
            {u"CIS-5.5"_s, S::Critical},                                // --privileged
            {u"CIS-5.4"_s, S::Critical},                                // --cap-add SYS_ADMIN
            {u"BOX-CAP-DROP"_s, S::Medium}, {u"CIS-5.13"_s, S::Medium}, // writable root
            {u"CIS-5.6"_s, S::Critical},                                // /etc rw
            {u"CIS-5.32"_s, S::Critical},                               // docker.sock
            {u"CIS-5.22"_s, S::High},                                   // seccomp=unconfined
            {u"CIS-5.16"_s, S::High},                                   // --pid host
            {u"CIS-5.11"_s, S::High},                                   // no memory limit
            {u"CIS-5.12"_s, S::Medium},                                 // no CPU limit or shares
            {u"CIS-5.29"_s, S::High},                                   // no PIDs limit
            {u"CIS-5.14"_s, S::High},                                   // 0.0.0.0:18080
            {u"CIS-4.1"_s, S::High},                                    // root
            {u"CIS-5.26"_s, S::Medium},                                 // no no-new-privileges
            {u"CIS-5.27"_s, S::Medium},                                 // no healthcheck
            {u"CIS-5.19"_s, S::Low},                                    // default ulimits
            {u"BOX-INIT"_s, S::Low},        {u"CIS-5.30"_s, S::Medium}, // default bridge
            {u"CIS-5.28"_s, S::Low},                                    // :latest
        };
        for (const auto &[id, severity] : expected)
            QVERIFY2(hasFinding(findings, id, severity), qPrintable(id));
        // The provider key in Env, the token-shaped value, the writable /run/secrets.
        QVERIFY(hasFinding(findings, u"BOX-ENV-CREDENTIAL"_s, S::Critical));
        QVERIFY(hasFinding(findings, u"BOX-ENV-SECRET"_s, S::High));
        QVERIFY(hasFinding(findings, u"BOX-SECRETS-WRITABLE"_s, S::High));
        // The engine shows the values to anyone who asks; the findings name variables only.
        QVERIFY(QString::fromStdString(info.dump()).contains(u"WEAKBOXKEY"_s));
        for (const Finding &f : findings)
            QVERIFY2(!f.detail.contains(u"WEAKBOX"_s), qPrintable(f.detail));
    }
};

QTEST_GUILESS_MAIN(tst_PostureAuditDocker)
#include "tst_postureaudit_docker.moc"
