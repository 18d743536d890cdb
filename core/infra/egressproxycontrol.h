#pragma once

#include "core/result.h"

#include <QStringList>

namespace bc::infra {

// Making a running egress proxy pick up changed grants. Blocking: call from a worker
// thread (QtConcurrent) or a CLI.
class EgressProxyControl
{
public:
    // Runs the configured reload command (split like a shell word list, no shell), e.g.
    //   sudo -n systemctl reload box-egress-proxy
    // or a `boxctl proxy-config ... --output F --prepare-dirs --reload-pidfile P` line.
    // Its output is kept out of errors except for the last line (it may not be ours to
    // show in full).
    static VoidResult runReloadCommand(const QString &command, int timeoutMs = 60000);
    // SIGUSR2 to the HAProxy master (-W) whose pid the file holds: it re-reads its config
    // and starts new workers; listeners of sockets still configured are kept.
    static VoidResult signalReload(const QString &pidFile);
    // Until every path exists and accepts a connection, or the time is up.
    static VoidResult waitForSockets(const QStringList &paths, int timeoutMs);
};

} // namespace bc::infra
