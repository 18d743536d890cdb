#pragma once

#include "core/http/endpoint.h"
#include "core/result.h"

#include <QFuture>
#include <QMap>
#include <QString>
#include <QStringList>

namespace bc::boxes {

// What a recovery found and did on one engine.
struct RecoveryReport
{
    QString endpoint;
    QStringList actions;    // what was rolled back, finished or removed (or would be)
    QStringList kept;       // data kept on purpose: box, volumes, owner, age
    QStringList orphans;    // box data with neither container nor kept record: listed only
    QStringList inProgress; // operations whose process is alive: left alone
    int rolledBack = 0;     // interrupted deploys rolled back (redeploys: previous restored)
    int finished = 0;       // interrupted deletes finished
    int restored = 0;       // previous containers of interrupted redeploys brought back
    int removed = 0;        // engine objects removed
    bool leaseBusy = false; // another process is recovering this engine: nothing done
    QString leaseHolder;
    bool isEmpty() const { return actions.isEmpty(); }
    QString summary() const; // one line for a status bar or an alert
};

// Finishes or rolls back interrupted box operations on one Docker engine, from the engine
// itself: every deploy and delete puts a marker volume (oplabels.h) on the engine before it
// creates or removes anything and removes it as its last step, and every object it creates
// carries its operation id. A marker whose process is dead (or, from another host, older
// than staleAfterSec) means the operation was interrupted: a deploy's objects are removed
// and a redeploy's previous container renamed back and restarted; a delete is completed.
// The journal file only adds what older versions recorded. Kept data (a kept-data record,
// written by `delete --keep-data`) is never touched unless removeKept. Runs under the
// engine's lease (EngineLease), so two recoveries never act on the same engine at once.
class BoxRecovery
{
public:
    struct Options
    {
        bool dryRun = false;
        bool removeKept = false;            // also the volumes of kept data (and their records)
        bool removeOrphans = false;         // also box volumes that have no container and no record
        QString journalDir;                 // empty = DeployJournal::defaultDirectory()
        QMap<QString, QString> extraLabels; // on the lease (tests: box-console.test=1)
        int leaseTtlSec = 120;
        int staleAfterSec = 3600; // markers of another host's operations
    };

    // Blocking, on the calling thread (spins local event loops): the CLI.
    static Result<RecoveryReport> runNow(const http::Endpoint &endpoint, const Options &options);
    // On a worker thread with a client of its own: the console.
    static QFuture<Result<RecoveryReport>> run(const http::Endpoint &endpoint,
                                               const Options &options);
};

} // namespace bc::boxes
