#include "support/coolify/coolifyenginefixture.h"

#include "core/boxes/coolifybackend.h"
#include "support/dockerfixture.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>

namespace bc::test {

bool CoolifyEngineFixture::start(QString *error)
{
    if (!m_sshd.start(error))
        return false;
    if (!m_fake.start()) {
        *error = QStringLiteral("the fake Coolify did not start");
        return false;
    }
    m_fake.control(QStringLiteral("server"), {{QStringLiteral("uuid"), QLatin1String(Server)},
                                              {QStringLiteral("ip"), QStringLiteral("127.0.0.1")},
                                              {QStringLiteral("user"), QStringLiteral("root")},
                                              {QStringLiteral("port"), int(m_sshd.port())}});
    return true;
}

void CoolifyEngineFixture::stop()
{
    m_sshd.stop();
    m_fake.stop();
}

coolify::CoolifyConfig CoolifyEngineFixture::config(const QString &knownHosts, bool consent) const
{
    coolify::CoolifyConfig c = m_fake.config(QLatin1String(Token));
    coolify::CoolifyEngineAccess a;
    a.serverUuid = QLatin1String(Server);
    a.enabled = consent;
    a.identityFile = m_sshd.clientKey();
    a.knownHostsFile = knownHosts;
    c.engines = {a};
    return c;
}

Result<QString> CoolifyEngineFixture::deploy(const security::BoxSpec &spec)
{
    boxes::CoolifyBackend b(m_fake.config(QLatin1String(Token)));
    boxes::BoxJob *job = b.deploy(spec);
    QSignalSpy finished(job, &boxes::BoxJob::finished);
    if (!finished.wait(60000))
        return Error(Error::Kind::Timeout, QStringLiteral("deploy did not finish"));
    const Result<boxes::BoxInfo> r = job->result();
    if (!r)
        return r.error();
    return r->id;
}

Result<QString> CoolifyEngineFixture::runDeployed(const QString &uuid, const QString &name,
                                                  const QString &image, const QStringList &command)
{
    {
        const QJsonObject state = m_fake.inspect(QStringLiteral("state")).object();
        const QJsonObject service = state[u"services"][uuid][u"_docker_compose"][u"services"]
                                        .toObject()
                                        .value(name)
                                        .toObject();
        if (service.isEmpty())
            return Error(Error::Kind::NotFound,
                         QStringLiteral("no deployed compose for %1/%2").arg(uuid, name));
        QStringList args{QStringLiteral("run"),     QStringLiteral("-d"),
                         QStringLiteral("--name"),  service[u"container_name"].toString(),
                         QStringLiteral("--label"), testLabel()};
        const auto label = [&args](const QString &l) { args << QStringLiteral("--label") << l; };
        for (const QJsonValue &l : service[u"labels"].toArray())
            label(l.toString());
        label(QStringLiteral("com.docker.compose.project=") + uuid);
        label(QStringLiteral("com.docker.compose.service=") + name);
        // The hardening the compose carries, as docker compose would pass it.
        if (service.contains(u"user"))
            args << QStringLiteral("--user") << service[u"user"].toString();
        if (service[u"read_only"].toBool() || service[u"read_only"].toString() == u"true")
            args << QStringLiteral("--read-only");
        args << QStringLiteral("--network")
             << service[u"network_mode"].toString(QStringLiteral("none"));
        for (const QJsonValue &c : service[u"cap_drop"].toArray())
            args << QStringLiteral("--cap-drop") << c.toString();
        for (const QJsonValue &o : service[u"security_opt"].toArray())
            args << QStringLiteral("--security-opt") << o.toString();
        const QJsonValue tmpfs = service[u"tmpfs"];
        for (const QJsonValue &t : tmpfs.isArray() ? tmpfs.toArray() : QJsonArray{tmpfs})
            if (!t.toString().isEmpty())
                args << QStringLiteral("--tmpfs") << t.toString();
        if (service.contains(u"pids_limit"))
            args << QStringLiteral("--pids-limit") << service[u"pids_limit"].toVariant().toString();
        if (service.contains(u"mem_limit"))
            args << QStringLiteral("--memory") << service[u"mem_limit"].toVariant().toString();
        if (service.contains(u"cpus"))
            args << QStringLiteral("--cpus") << service[u"cpus"].toVariant().toString();
        if (service.contains(u"memswap_limit"))
            args << QStringLiteral("--memory-swap")
                 << service[u"memswap_limit"].toVariant().toString();
        if (service.contains(u"cpu_shares"))
            args << QStringLiteral("--cpu-shares") << service[u"cpu_shares"].toVariant().toString();
        if (service[u"init"].toBool())
            args << QStringLiteral("--init");
        if (service.contains(u"ipc"))
            args << QStringLiteral("--ipc") << service[u"ipc"].toString();
        if (service.contains(u"restart"))
            args << QStringLiteral("--restart") << service[u"restart"].toString();
        const QJsonObject ulimits = service[u"ulimits"].toObject();
        for (auto it = ulimits.begin(); it != ulimits.end(); ++it)
            args << QStringLiteral("--ulimit")
                 << QStringLiteral("%1=%2:%3")
                        .arg(it.key())
                        .arg(it.value()[u"soft"].toInteger())
                        .arg(it.value()[u"hard"].toInteger());
        // The image's own check (the box-agent probe), every second rather than ten.
        args << QStringLiteral("--health-interval=1s") << image << command;
        int code = -1;
        QString err;
        const QString id = runDocker(args, &code, &err);
        if (code != 0)
            return Error(Error::Kind::Server,
                         QStringLiteral("docker run failed: %1\n%2").arg(err, args.join(u' ')));
        return id;
    }
}

security::BoxSpec CoolifyEngineFixture::boxSpec(const QString &prefix)
{
    security::BoxSpec spec;
    QString name = uniqueName(prefix).left(30).toLower();
    name.replace(QLatin1Char('_'), QLatin1Char('-'));
    spec.name = name;
    spec.subdomain = name;
    spec.owner = QStringLiteral("alice");
    spec.image = boxTestImage();
    return spec;
}

QStringList CoolifyEngineFixture::tickingAgent()
{
    return {QStringLiteral("/bin/sh"), QStringLiteral("-c"),
            QStringLiteral("(i=0; while :; do i=$((i+1)); echo tick-$i; sleep 1; done) & exec "
                           "/bin/box-agent")};
}

} // namespace bc::test
