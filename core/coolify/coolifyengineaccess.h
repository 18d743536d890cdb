#pragma once

#include <QList>
#include <QString>

class QSettings;

namespace bc::coolify {

// The admin's consent to reach one Coolify server's Docker engine over ssh, and with what.
// Coolify itself logs in to its servers over ssh; box-console does the same with the admin's
// own keys, only when the admin has said so for that server, and never with a host key
// that known_hosts does not vouch for.
struct CoolifyEngineAccess
{
    QString serverUuid;
    bool enabled = false;   // the consent; false keeps the server API-only
    QString identityFile;   // empty: ssh's own (~/.ssh/id_*, the agent)
    QString knownHostsFile; // empty: ~/.ssh/known_hosts
    QString remoteSocket;   // the engine's socket on the server; empty: docker's default

    bool operator==(const CoolifyEngineAccess &other) const = default;

    // Settings group "coolify/engines/<server uuid>/…" of the box-console settings file.
    static QList<CoolifyEngineAccess> load(QSettings &settings);
    static void save(QSettings &settings, const QList<CoolifyEngineAccess> &engines);
};

} // namespace bc::coolify
