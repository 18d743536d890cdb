#include "core/boxes/consolesettings.h"

namespace bc::boxes {

namespace {
const QString kMode = QStringLiteral("deploy/mode");
const QString kEndpoints = QStringLiteral("docker/endpoints");
const QString kContexts = QStringLiteral("docker/contexts");
const QString kCoolifyUrl = QStringLiteral("coolify/url");
const QString kStats = QStringLiteral("monitor/statsIntervalMs");
const QString kResync = QStringLiteral("monitor/resyncIntervalMs");
const QString kHealth = QStringLiteral("deploy/healthTimeoutMs");
const QString kTraefikContainer = QStringLiteral("traefik/container");
const QString kTraefikDomain = QStringLiteral("traefik/domain");
const QString kEgressPolicy = QStringLiteral("egress/policyFile");
const QString kProxySocketDir = QStringLiteral("egress/proxySocketDir");

const QString kEgressGrants = QStringLiteral("egress/grantsDir");
const QString kEgressReload = QStringLiteral("egress/reloadCommand");
const QString kEgressGid = QStringLiteral("egress/groupId");
const QString kEgressLog = QStringLiteral("egress/logFile");
const QString kEgressRemote = QStringLiteral("egress/remoteEngine");

const char *const kEgressPolicyEnv = "BOX_EGRESS_POLICY";
const char *const kEgressGrantsEnv = "BOX_EGRESS_GRANTS_DIR";
const char *const kEgressReloadEnv = "BOX_EGRESS_RELOAD";
const char *const kEgressGidEnv = "BOX_EGRESS_GID";
const char *const kEgressLogEnv = "BOX_EGRESS_LOG";
const char *const kEgressRemoteEnv = "BOX_EGRESS_REMOTE_ENGINE";
const char *const kProxySocketDirEnv = "BOX_EGRESS_SOCKET_DIR";

QString settingOrEnv(const QSettings &settings, const QString &key, const char *env)
{
    const QString v = settings.value(key).toString().trimmed();
    if (!v.isEmpty())
        return v;
    return qEnvironmentVariable(env).trimmed();
}

QString sourceOf(const QSettings &settings, const QString &key, const char *env)
{
    if (!settings.value(key).toString().trimmed().isEmpty())
        return QStringLiteral("setting");
    if (!qEnvironmentVariable(env).trimmed().isEmpty())
        return QStringLiteral("environment");
    return QStringLiteral("none");
}

QStringList trimmedUnique(const QStringList &in)
{
    QStringList out;
    for (const QString &e : in) {
        const QString t = e.trimmed();
        if (!t.isEmpty() && !out.contains(t))
            out << t;
    }
    return out;
}

void setOrForget(QSettings &settings, const QString &key, const QString &value)
{
    if (value.trimmed().isEmpty())
        settings.remove(key);
    else
        settings.setValue(key, value.trimmed());
}

int positiveOr(const QVariant &value, int fallback, bool zeroAllowed)
{
    bool ok = false;
    const int v = value.toInt(&ok);
    if (!ok || v < 0 || (v == 0 && !zeroAllowed))
        return fallback;
    return v;
}
} // namespace

ConsoleSettings::ConsoleSettings()
    : m_settings(
          std::make_unique<QSettings>(QStringLiteral("box-console"), QStringLiteral("box-console")))
{}

ConsoleSettings::ConsoleSettings(const QString &iniFile)
    : m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{}

ConsoleSettings::~ConsoleSettings() = default;

QStringList ConsoleSettings::deployModes()
{
    return {QStringLiteral("coolify"), QStringLiteral("docker"), QStringLiteral("docker-dev")};
}

bool ConsoleSettings::isValidDeployMode(const QString &mode)
{
    return deployModes().contains(mode);
}

QString ConsoleSettings::deployMode() const
{
    const QString stored = m_settings->value(kMode).toString().trimmed().toLower();
    if (isValidDeployMode(stored))
        return stored;
    const QString env = qEnvironmentVariable("DEPLOY_MODE").trimmed().toLower();
    if (isValidDeployMode(env))
        return env;
    return QStringLiteral("coolify");
}

QString ConsoleSettings::deployModeSource() const
{
    if (isValidDeployMode(m_settings->value(kMode).toString().trimmed().toLower()))
        return QStringLiteral("setting");
    if (isValidDeployMode(qEnvironmentVariable("DEPLOY_MODE").trimmed().toLower()))
        return QStringLiteral("environment");
    return QStringLiteral("default");
}

void ConsoleSettings::setDeployMode(const QString &mode)
{
    if (mode.isEmpty())
        m_settings->remove(kMode);
    else
        m_settings->setValue(kMode, mode);
}

QStringList ConsoleSettings::dockerEndpoints() const
{
    return trimmedUnique(m_settings->value(kEndpoints).toStringList());
}

void ConsoleSettings::setDockerEndpoints(const QStringList &endpoints)
{
    // Removed rather than stored empty: QSettings' INI format writes an empty list as
    // "@Invalid()", which reads oddly in a file admins edit by hand.
    if (trimmedUnique(endpoints).isEmpty())
        m_settings->remove(kEndpoints);
    else
        m_settings->setValue(kEndpoints, trimmedUnique(endpoints));
}

QStringList ConsoleSettings::dockerContexts() const
{
    return trimmedUnique(m_settings->value(kContexts).toStringList());
}

void ConsoleSettings::setDockerContexts(const QStringList &names)
{
    if (trimmedUnique(names).isEmpty())
        m_settings->remove(kContexts);
    else
        m_settings->setValue(kContexts, trimmedUnique(names));
}

bool ConsoleSettings::followsDockerCli() const
{
    return dockerEndpoints().isEmpty() && dockerContexts().isEmpty();
}

QString ConsoleSettings::coolifyUrl() const
{
    return m_settings->value(kCoolifyUrl).toString();
}
void ConsoleSettings::setCoolifyUrl(const QString &url)
{
    m_settings->setValue(kCoolifyUrl, url);
}

int ConsoleSettings::statsIntervalMs() const
{
    return positiveOr(m_settings->value(kStats, 2000), 2000, true);
}
void ConsoleSettings::setStatsIntervalMs(int ms)
{
    m_settings->setValue(kStats, ms);
}

int ConsoleSettings::resyncIntervalMs() const
{
    return positiveOr(m_settings->value(kResync, 30000), 30000, false);
}
void ConsoleSettings::setResyncIntervalMs(int ms)
{
    m_settings->setValue(kResync, ms);
}

int ConsoleSettings::healthTimeoutMs() const
{
    return positiveOr(m_settings->value(kHealth, 120000), 120000, false);
}
void ConsoleSettings::setHealthTimeoutMs(int ms)
{
    m_settings->setValue(kHealth, ms);
}

QString ConsoleSettings::traefikContainer() const
{
    return m_settings->value(kTraefikContainer).toString();
}
void ConsoleSettings::setTraefikContainer(const QString &name)
{
    m_settings->setValue(kTraefikContainer, name);
}

QString ConsoleSettings::traefikDomain() const
{
    return m_settings->value(kTraefikDomain).toString();
}
void ConsoleSettings::setTraefikDomain(const QString &domain)
{
    m_settings->setValue(kTraefikDomain, domain);
}

QString ConsoleSettings::egressPolicyFile() const
{
    return settingOrEnv(*m_settings, kEgressPolicy, kEgressPolicyEnv);
}
void ConsoleSettings::setEgressPolicyFile(const QString &path)
{
    setOrForget(*m_settings, kEgressPolicy, path);
}

QString ConsoleSettings::proxySocketDir() const
{
    return settingOrEnv(*m_settings, kProxySocketDir, kProxySocketDirEnv);
}
void ConsoleSettings::setProxySocketDir(const QString &dir)
{
    setOrForget(*m_settings, kProxySocketDir, dir);
}

QString ConsoleSettings::egressPolicyFileSource() const
{
    return sourceOf(*m_settings, kEgressPolicy, kEgressPolicyEnv);
}

QString ConsoleSettings::proxySocketDirSource() const
{
    return sourceOf(*m_settings, kProxySocketDir, kProxySocketDirEnv);
}

QString ConsoleSettings::egressPolicyFileEnv()
{
    return QString::fromLatin1(kEgressPolicyEnv);
}

QString ConsoleSettings::proxySocketDirEnv()
{
    return QString::fromLatin1(kProxySocketDirEnv);
}

QString ConsoleSettings::egressGrantsDir() const
{
    return settingOrEnv(*m_settings, kEgressGrants, kEgressGrantsEnv);
}
void ConsoleSettings::setEgressGrantsDir(const QString &dir)
{
    setOrForget(*m_settings, kEgressGrants, dir);
}

QString ConsoleSettings::egressReloadCommand() const
{
    return settingOrEnv(*m_settings, kEgressReload, kEgressReloadEnv);
}
void ConsoleSettings::setEgressReloadCommand(const QString &command)
{
    setOrForget(*m_settings, kEgressReload, command);
}

int ConsoleSettings::egressGroupId() const
{
    bool ok = false;
    const int gid = settingOrEnv(*m_settings, kEgressGid, kEgressGidEnv).toInt(&ok);
    return ok && gid > 0 ? gid : -1;
}
void ConsoleSettings::setEgressGroupId(int gid)
{
    setOrForget(*m_settings, kEgressGid, gid > 0 ? QString::number(gid) : QString());
}

QString ConsoleSettings::egressLogFile() const
{
    return settingOrEnv(*m_settings, kEgressLog, kEgressLogEnv);
}
void ConsoleSettings::setEgressLogFile(const QString &path)
{
    setOrForget(*m_settings, kEgressLog, path);
}

bool ConsoleSettings::egressRemoteEngine() const
{
    return settingOrEnv(*m_settings, kEgressRemote, kEgressRemoteEnv) == QLatin1String("1");
}
void ConsoleSettings::setEgressRemoteEngine(bool allowed)
{
    setOrForget(*m_settings, kEgressRemote, allowed ? QStringLiteral("1") : QString());
}

void ConsoleSettings::sync()
{
    m_settings->sync();
}

} // namespace bc::boxes
