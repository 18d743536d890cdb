#include "core/boxes/consolesettings.h"

#include "core/security/validators.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QUrl>

#include <cmath>

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

// ---- fleet policies ----------------------------------------------------------------------

namespace {
const QString kPolicyDefaults = QStringLiteral("policy/defaults");
const QString kQuotas = QStringLiteral("quotas");
const QString kWebhooks = QStringLiteral("webhooks");
constexpr int MaxQuotaBoxes = 100000;
constexpr double MaxQuotaCpus = 100000;

using security::BoxSpec;
using security::Validators;

Error invalid(const QString &field, const QString &message)
{
    return Error(Error::Kind::Invalid, field + QStringLiteral(": ") + message);
}

const struct
{
    const char *key;
    std::optional<qint64> BoxSpec::Policy::*member;
} kPolicyKeys[] = {{"idleStop", &BoxSpec::Policy::idleStopSecs},
                   {"maxLifetime", &BoxSpec::Policy::maxLifetimeSecs},
                   {"deleteAfterStopped", &BoxSpec::Policy::deleteAfterStoppedSecs}};

QString entryName(const QString &list, const QString &id, int index)
{
    // Owners and backend ids as they are; anything else escaped, as it ends up in messages.
    static const QRegularExpression plain(
        QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z0-9@._:/*+\\[\\]-]{1,120}")));
    if (id.isEmpty())
        return QStringLiteral("%1[%2]").arg(list).arg(index);
    return QStringLiteral("%1[%2]").arg(
        list, plain.match(id).hasMatch() ? id : Validators::printable(id, 80));
}
} // namespace

Result<qint64> ConsoleSettings::parseQuotaMemory(const QString &text, const QString &field)
{
    static const QRegularExpression re(QRegularExpression::anchoredPattern(QStringLiteral(
                                           "([0-9]{1,15}(?:\\.[0-9]{1,6})?)([kmgt]?)")),
                                       QRegularExpression::CaseInsensitiveOption);
    const QString t = text.trimmed();
    if (t.startsWith(QLatin1Char('-')))
        return invalid(field, QStringLiteral("must not be negative"));
    const auto m = re.match(t);
    if (!m.hasMatch())
        return invalid(field, QStringLiteral("invalid size %1: use e.g. \"16g\", \"512m\" or bytes "
                                             "(0 = no limit)")
                                  .arg(Validators::printable(text)));
    const QString unit = m.captured(2).toLower();
    const double factor = unit == QLatin1String("k")   ? 1024.0
                          : unit == QLatin1String("m") ? 1024.0 * 1024
                          : unit == QLatin1String("g") ? 1024.0 * 1024 * 1024
                          : unit == QLatin1String("t") ? 1024.0 * 1024 * 1024 * 1024
                                                       : 1.0;
    const double bytes = m.captured(1).toDouble() * factor;
    // A petabyte: beyond any fleet, and far below where qint64 could overflow.
    if (bytes > 1024.0 * 1024 * 1024 * 1024 * 1024)
        return invalid(field, QStringLiteral("at most 1024t"));
    return qint64(std::llround(bytes));
}

QString ConsoleSettings::formatQuotaMemory(qint64 bytes)
{
    static const struct
    {
        qint64 factor;
        const char *unit;
    } units[] = {{1024LL * 1024 * 1024 * 1024, "t"},
                 {1024LL * 1024 * 1024, "g"},
                 {1024LL * 1024, "m"},
                 {1024LL, "k"}};
    if (bytes <= 0)
        return QStringLiteral("0");
    for (const auto &u : units)
        if (bytes % u.factor == 0)
            return QString::number(bytes / u.factor) + QLatin1String(u.unit);
    return QString::number(bytes);
}

VoidResult ConsoleSettings::validateQuota(const OwnerQuota &quota, const QString &field)
{
    if (quota.owner.isEmpty())
        return invalid(field + QStringLiteral(".owner"),
                       QStringLiteral("is required (an owner, or * for every owner)"));
    if (quota.owner != QLatin1String("*")) {
        if (auto r = Validators::validateOwner(quota.owner); !r)
            return invalid(field + QStringLiteral(".owner"), r.error().message());
    }
    if (quota.maxBoxes < 0)
        return invalid(field + QStringLiteral(".maxBoxes"), QStringLiteral("must not be negative"));
    if (quota.maxBoxes > MaxQuotaBoxes)
        return invalid(field + QStringLiteral(".maxBoxes"),
                       QStringLiteral("at most %1").arg(MaxQuotaBoxes));
    if (!std::isfinite(quota.maxCpus) || quota.maxCpus < 0)
        return invalid(field + QStringLiteral(".maxCpus"),
                       QStringLiteral("must be a number, not negative"));
    if (quota.maxCpus > MaxQuotaCpus)
        return invalid(field + QStringLiteral(".maxCpus"),
                       QStringLiteral("at most %1").arg(MaxQuotaCpus));
    if (quota.maxMemoryBytes < 0)
        return invalid(field + QStringLiteral(".maxMemory"),
                       QStringLiteral("must not be negative"));
    return {};
}

VoidResult ConsoleSettings::validateWebhook(const Webhook &webhook, const QString &field)
{
    if (webhook.kind != QLatin1String("plain") && webhook.kind != QLatin1String("slack"))
        return invalid(field + QStringLiteral(".kind"),
                       QStringLiteral("must be \"plain\" or \"slack\", got %1")
                           .arg(Validators::printable(webhook.kind)));
    const QString urlField = field + QStringLiteral(".url");
    const QUrl url(webhook.url.trimmed(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (webhook.url.trimmed().isEmpty()) {
        // A stored webhook: its URL was checked before it went to the secret store.
        if (webhook.secretKey.isEmpty())
            return invalid(urlField, QStringLiteral("is required"));
        if (!isWebhookSecretKey(webhook.secretKey))
            return invalid(field + QStringLiteral(".secret"),
                           QStringLiteral("must be a secret store key webhook.<id>, got %1")
                               .arg(Validators::printable(webhook.secretKey, 80)));
        return {};
    }
    // The URL is a credential: messages (logged, shown, pasted into tickets) get it masked.
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http")))
        return invalid(urlField, QStringLiteral("must be an http(s) URL with a host, got '%1'")
                                     .arg(maskWebhookUrl(webhook.url)));
    if (!url.userInfo().isEmpty())
        return invalid(urlField,
                       QStringLiteral("must not carry a user or password (they would be logged)"));
    if (scheme == QLatin1String("http")) {
        const QString host = url.host().toLower();
        const QHostAddress address(host);
        const bool loopback =
            host == QLatin1String("localhost") || (!address.isNull() && address.isLoopback());
        if (!loopback)
            return invalid(urlField,
                           QStringLiteral("plain http is allowed only to this machine (localhost, "
                                          "127.0.0.1, ::1); use https for %1")
                               .arg(Validators::printable(url.host())));
    }
    return {};
}

QString ConsoleSettings::maskWebhookUrl(const QString &url)
{
    // Only printable ASCII survives, without what matters to a shell or rich text (as in
    // Validators::printable): the result goes into tables, messages and logs.
    const auto safe = [](QString text) {
        static const QString special = QStringLiteral("'\\\"`<>&$");
        for (QChar &c : text)
            if (c.unicode() < 0x21 || c.unicode() > 0x7e || special.contains(c))
                c = QLatin1Char('?');
        return text;
    };
    const QString text = url.trimmed();
    const QUrl parsed(text, QUrl::TolerantMode);
    const QString scheme = safe(parsed.scheme().toLower());
    QString host = parsed.host(QUrl::FullyEncoded);
    if (host.isEmpty())
        return scheme.isEmpty() ? QStringLiteral("…") : scheme + QStringLiteral("://…");
    if (host.contains(QLatin1Char(':')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    QString out = scheme + QStringLiteral("://") + safe(host);
    if (parsed.port() != -1)
        out += QLatin1Char(':') + QString::number(parsed.port());
    out += QLatin1Char('/');
    // The token of a Slack URL is in its path; four characters tell two hooks apart.
    const QString rest = parsed.toString(QUrl::RemoveScheme | QUrl::RemoveAuthority);
    if (rest.size() > 1)
        out += QStringLiteral("…") + safe(text.right(4));
    return out;
}

bool ConsoleSettings::isWebhookSecretKey(const QString &key)
{
    static const QRegularExpression re(
        QRegularExpression::anchoredPattern(QStringLiteral("webhook\\.[A-Za-z0-9-]{1,64}")));
    return re.match(key).hasMatch();
}

VoidResult ConsoleSettings::validateFleetPolicyDefault(const FleetPolicyDefault &entry,
                                                       const QString &field)
{
    if (entry.backend.trimmed().isEmpty())
        return invalid(field + QStringLiteral(".backend"),
                       QStringLiteral("is required (a backend id, or * for every backend)"));
    if (Validators::hasUnsafeCharacters(entry.backend))
        return invalid(field + QStringLiteral(".backend"),
                       QStringLiteral("must not contain control characters"));
    return entry.policy.validate(field);
}

Result<QList<FleetPolicyDefault>> ConsoleSettings::fleetPolicyDefaults() const
{
    QList<FleetPolicyDefault> out;
    const int n = m_settings->beginReadArray(kPolicyDefaults);
    for (int i = 0; i < n; ++i) {
        m_settings->setArrayIndex(i);
        FleetPolicyDefault e;
        e.backend = m_settings->value(QStringLiteral("backend")).toString().trimmed();
        const QString field = entryName(QStringLiteral("policy.defaults"), e.backend, i);
        for (const auto &k : kPolicyKeys) {
            const QVariant v = m_settings->value(QLatin1String(k.key));
            if (!v.isValid() || v.toString().isEmpty())
                continue;
            auto secs =
                BoxSpec::Policy::parseDuration(v.toString(), field + u'.' + QLatin1String(k.key));
            if (!secs) {
                m_settings->endArray();
                return secs.error();
            }
            e.policy.*(k.member) = *secs;
        }
        if (auto r = validateFleetPolicyDefault(e, field); !r) {
            m_settings->endArray();
            return r.error();
        }
        for (const auto &seen : std::as_const(out))
            if (seen.backend == e.backend) {
                m_settings->endArray();
                return invalid(field, QStringLiteral("a second entry for the same backend"));
            }
        out << e;
    }
    m_settings->endArray();
    return out;
}

void ConsoleSettings::setFleetPolicyDefaults(const QList<FleetPolicyDefault> &defaults)
{
    m_settings->remove(kPolicyDefaults);
    if (defaults.isEmpty())
        return;
    m_settings->beginWriteArray(kPolicyDefaults, int(defaults.size()));
    for (int i = 0; i < defaults.size(); ++i) {
        m_settings->setArrayIndex(i);
        const FleetPolicyDefault &e = defaults.at(i);
        m_settings->setValue(QStringLiteral("backend"), e.backend.trimmed());
        for (const auto &k : kPolicyKeys)
            if (const auto &v = e.policy.*(k.member))
                m_settings->setValue(QLatin1String(k.key), BoxSpec::Policy::formatDuration(*v));
    }
    m_settings->endArray();
}

Result<BoxSpec::Policy> ConsoleSettings::fleetPolicyFor(const QString &backendId) const
{
    auto all = fleetPolicyDefaults();
    if (!all)
        return all.error();
    std::optional<BoxSpec::Policy> any;
    for (const FleetPolicyDefault &e : all.value()) {
        if (e.backend == backendId)
            return e.policy;
        if (e.backend == QLatin1String("*"))
            any = e.policy;
    }
    return any.value_or(BoxSpec::Policy{});
}

Result<QList<OwnerQuota>> ConsoleSettings::quotas() const
{
    QList<OwnerQuota> out;
    const int n = m_settings->beginReadArray(kQuotas);
    auto fail = [this](const Error &e) -> Result<QList<OwnerQuota>> {
        m_settings->endArray();
        return e;
    };
    for (int i = 0; i < n; ++i) {
        m_settings->setArrayIndex(i);
        OwnerQuota q;
        q.owner = m_settings->value(QStringLiteral("owner")).toString().trimmed();
        const QString field = entryName(QStringLiteral("quotas"), q.owner, i);
        const QString boxes = m_settings->value(QStringLiteral("maxBoxes")).toString().trimmed();
        if (!boxes.isEmpty()) {
            bool ok = false;
            const qint64 v = boxes.toLongLong(&ok);
            if (!ok)
                return fail(invalid(field + QStringLiteral(".maxBoxes"),
                                    QStringLiteral("expected a whole number, got %1")
                                        .arg(Validators::printable(boxes))));
            q.maxBoxes = int(qBound<qint64>(-1, v, MaxQuotaBoxes + 1LL));
        }
        const QString cpus = m_settings->value(QStringLiteral("maxCpus")).toString().trimmed();
        if (!cpus.isEmpty()) {
            bool ok = false;
            q.maxCpus = cpus.toDouble(&ok);
            if (!ok)
                return fail(invalid(
                    field + QStringLiteral(".maxCpus"),
                    QStringLiteral("expected a number, got %1").arg(Validators::printable(cpus))));
        }
        const QString memory = m_settings->value(QStringLiteral("maxMemory")).toString().trimmed();
        if (!memory.isEmpty()) {
            auto bytes = parseQuotaMemory(memory, field + QStringLiteral(".maxMemory"));
            if (!bytes)
                return fail(bytes.error());
            q.maxMemoryBytes = *bytes;
        }
        if (auto r = validateQuota(q, field); !r)
            return fail(r.error());
        for (const auto &seen : std::as_const(out))
            if (seen.owner == q.owner)
                return fail(invalid(field, QStringLiteral("a second entry for the same owner")));
        out << q;
    }
    m_settings->endArray();
    return out;
}

void ConsoleSettings::setQuotas(const QList<OwnerQuota> &quotas)
{
    m_settings->remove(kQuotas);
    if (quotas.isEmpty())
        return;
    m_settings->beginWriteArray(kQuotas, int(quotas.size()));
    for (int i = 0; i < quotas.size(); ++i) {
        m_settings->setArrayIndex(i);
        const OwnerQuota &q = quotas.at(i);
        m_settings->setValue(QStringLiteral("owner"), q.owner);
        m_settings->setValue(QStringLiteral("maxBoxes"), QString::number(q.maxBoxes));
        m_settings->setValue(QStringLiteral("maxCpus"), QString::number(q.maxCpus));
        m_settings->setValue(QStringLiteral("maxMemory"), formatQuotaMemory(q.maxMemoryBytes));
    }
    m_settings->endArray();
}

OwnerQuota ConsoleSettings::quotaFor(const QList<OwnerQuota> &quotas, const QString &owner)
{
    std::optional<OwnerQuota> any;
    for (const OwnerQuota &q : quotas) {
        if (q.owner == owner)
            return q;
        if (q.owner == QLatin1String("*"))
            any = q;
    }
    OwnerQuota out = any.value_or(OwnerQuota{});
    out.owner = owner;
    return out;
}

Result<QList<Webhook>> ConsoleSettings::webhooks() const
{
    QList<Webhook> out;
    const int n = m_settings->beginReadArray(kWebhooks);
    for (int i = 0; i < n; ++i) {
        m_settings->setArrayIndex(i);
        Webhook w;
        w.kind = m_settings->value(QStringLiteral("kind"), QStringLiteral("plain")).toString();
        w.secretKey = m_settings->value(QStringLiteral("secret")).toString().trimmed();
        if (w.secretKey.isEmpty()) {
            // Written before URLs moved to the secret store: used as it is until the next save
            // moves it there.
            w.url = m_settings->value(QStringLiteral("url")).toString().trimmed();
            w.display = maskWebhookUrl(w.url);
        } else {
            w.display = m_settings->value(QStringLiteral("display")).toString().trimmed();
            if (w.display.isEmpty())
                w.display = w.secretKey;
        }
        if (auto r = validateWebhook(w, QStringLiteral("webhooks[%1]").arg(i)); !r) {
            m_settings->endArray();
            return r.error();
        }
        out << w;
    }
    m_settings->endArray();
    return out;
}

QStringList ConsoleSettings::webhookSecretKeys() const
{
    QStringList keys;
    const int n = m_settings->beginReadArray(kWebhooks);
    for (int i = 0; i < n; ++i) {
        m_settings->setArrayIndex(i);
        const QString key = m_settings->value(QStringLiteral("secret")).toString().trimmed();
        if (isWebhookSecretKey(key) && !keys.contains(key))
            keys << key;
    }
    m_settings->endArray();
    return keys;
}

void ConsoleSettings::setWebhooks(const QList<Webhook> &webhooks)
{
    QList<Webhook> stored;
    for (const Webhook &w : webhooks)
        if (!w.secretKey.isEmpty())
            stored << w;
    // The whole array goes: an old entry's "url" must not survive its migration.
    m_settings->remove(kWebhooks);
    if (stored.isEmpty())
        return;
    m_settings->beginWriteArray(kWebhooks, int(stored.size()));
    for (int i = 0; i < stored.size(); ++i) {
        const Webhook &w = stored.at(i);
        m_settings->setArrayIndex(i);
        m_settings->setValue(QStringLiteral("secret"), w.secretKey);
        m_settings->setValue(QStringLiteral("kind"), w.kind);
        m_settings->setValue(QStringLiteral("display"),
                             w.url.isEmpty() ? w.display : maskWebhookUrl(w.url));
    }
    m_settings->endArray();
}

FleetRules ConsoleSettings::fleetRulesFor(const QString &backendId) const
{
    FleetRules rules;
    auto policy = fleetPolicyFor(backendId);
    auto quotaList = quotas();
    if (!policy)
        rules.error = policy.error().message();
    else
        rules.policyDefault = policy.value();
    if (!quotaList)
        rules.error = quotaList.error().message();
    else
        rules.quotas = quotaList.value();
    return rules;
}

void ConsoleSettings::sync()
{
    m_settings->sync();
}

} // namespace bc::boxes
