#include "core/coolify/coolifystatus.h"

#include <QStringList>

namespace bc::coolify {

static CoolifyStatus::State parseState(const QString &word)
{
    using S = CoolifyStatus::State;
    static const struct
    {
        const char *name;
        S state;
    } table[] = {
        {"running", S::Running},   {"starting", S::Starting}, {"restarting", S::Restarting},
        {"degraded", S::Degraded}, {"paused", S::Paused},     {"exited", S::Exited},
        {"created", S::Created},   {"dead", S::Dead},         {"removing", S::Removing},
    };
    for (const auto &entry : table) {
        if (word == QLatin1String(entry.name))
            return entry.state;
    }
    return S::Unknown;
}

static CoolifyStatus::Health parseHealth(const QString &word)
{
    using H = CoolifyStatus::Health;
    if (word == QLatin1String("healthy"))
        return H::Healthy;
    if (word == QLatin1String("unhealthy"))
        return H::Unhealthy;
    // Only pre-beta.445 servers report Docker's own "starting" health.
    if (word == QLatin1String("starting"))
        return H::Starting;
    return H::Unknown;
}

CoolifyStatus CoolifyStatus::parse(const QString &text)
{
    CoolifyStatus status;
    status.raw = text;
    QString normalised = text.trimmed().toLower();
    // Old rows hold Docker's "running (healthy)"; Coolify itself rewrites that form.
    const qsizetype paren = normalised.indexOf(QLatin1Char('('));
    if (paren > 0 && normalised.endsWith(QLatin1Char(')'))) {
        normalised = normalised.left(paren).trimmed() + QLatin1Char(':') +
                     normalised.mid(paren + 1, normalised.size() - paren - 2).trimmed();
    }
    if (normalised.isEmpty())
        return status;
    QStringList parts = normalised.split(QLatin1Char(':'));
    if (parts.size() > 1 && parts.last() == QLatin1String("excluded")) {
        status.excluded = true;
        parts.removeLast();
    }
    status.state = parseState(parts.value(0));
    if (status.state == State::Unknown)
        return status;
    // "degraded:excluded" and friends carry no health at all.
    status.health = parts.size() > 1 ? parseHealth(parts.at(1)) : Health::Unknown;
    return status;
}

bool CoolifyStatus::isLive() const
{
    return state == State::Running || state == State::Starting || state == State::Restarting ||
           state == State::Degraded;
}

QString CoolifyStatus::stateName(State state)
{
    switch (state) {
    case State::Unknown:
        return QStringLiteral("unknown");
    case State::Running:
        return QStringLiteral("running");
    case State::Starting:
        return QStringLiteral("starting");
    case State::Restarting:
        return QStringLiteral("restarting");
    case State::Degraded:
        return QStringLiteral("degraded");
    case State::Paused:
        return QStringLiteral("paused");
    case State::Exited:
        return QStringLiteral("exited");
    case State::Created:
        return QStringLiteral("created");
    case State::Dead:
        return QStringLiteral("dead");
    case State::Removing:
        return QStringLiteral("removing");
    }
    return QStringLiteral("unknown");
}

QString CoolifyStatus::healthName(Health health)
{
    switch (health) {
    case Health::Unknown:
        return QStringLiteral("unknown");
    case Health::Healthy:
        return QStringLiteral("healthy");
    case Health::Unhealthy:
        return QStringLiteral("unhealthy");
    case Health::Starting:
        return QStringLiteral("starting");
    }
    return QStringLiteral("unknown");
}

} // namespace bc::coolify
