#pragma once

#include "core/boxes/boxrecovery.h"
#include "core/coolify/coolifyconfig.h"
#include "core/result.h"

#include <QFuture>
#include <QString>

#include <optional>

namespace bc::coolify {
class CoolifyClient;
}

namespace bc::boxes {

// Finishes or rolls back box operations on Coolify that a killed console or boxctl left
// between two Coolify calls, from Coolify alone (no local file): a deploy creates its
// service with an operation mark in the description ("op=deploy,<id>,<holder>,<epoch>")
// and clears it only once the service is healthy; a delete marks the service or
// application ("op=delete,…[,keep]") before it asks Coolify to delete it. A mark whose
// process is dead (or, from another host, older than staleAfterSec) is an interrupted
// operation: the deploy's service is deleted with everything it made, the delete is sent
// again (keeping the volumes when it did) and awaited.
class CoolifyRecovery
{
public:
    struct Options
    {
        bool dryRun = false;
        int staleAfterSec = 3600;
        int goneTimeoutMs = 120000;
    };

    struct Mark
    {
        QString kind; // deploy | delete
        QString op;
        QString holder;
        qint64 startedSecs = 0; // since the epoch
        bool keepData = false;
    };
    // `description` with this process's mark for `kind` (any earlier mark replaced).
    static QString marked(const QString &description, const QString &kind, const QString &op,
                          bool keepData = false);
    // `description` without a mark.
    static QString unmarked(const QString &description);
    static std::optional<Mark> markOf(const QString &description);
    // A short operation id.
    static QString newOpId();

    // Blocking, on the calling thread (spins local event loops): the CLI.
    static Result<RecoveryReport> runNow(coolify::CoolifyClient &client, const Options &options);
    // On a worker thread with a client of its own: the console.
    static QFuture<Result<RecoveryReport>> run(const coolify::CoolifyConfig &config,
                                               const Options &options);
};

} // namespace bc::boxes
