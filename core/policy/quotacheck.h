#pragma once

#include "core/boxes/boxinfo.h"
#include "core/boxes/consolesettings.h"
#include "core/result.h"
#include "core/security/boxspec.h"

#include <QFuture>
#include <QList>
#include <QStringList>

class QObject;

namespace bc::docker {
class DockerClient;
}

namespace bc::policy {

// What an owner's existing boxes take. Every box counts, running or stopped: a stopped box
// keeps its volumes and comes back with one start, so it holds its share of the quota until
// it is deleted. A box whose resources are unknown (a Coolify box from before they were
// recorded) counts as a box with no CPUs and no memory.
struct QuotaUsage
{
    QStringList boxes; // names, each once
    double cpus = 0;
    qint64 memoryBytes = 0;
};

// The one quota rule, for every backend: refuses a deploy of `request` when the owner's
// quota (ConsoleSettings::quotaFor) could not hold it next to `existing` (which must not
// include the box being (re)deployed). The error is Unauthorized (the deploy is forbidden by
// a rule, not malformed; `boxctl deploy` exits 1) and names the quota:
// "quota for owner alice: 3 boxes max, has 3".
VoidResult checkQuota(const boxes::OwnerQuota &quota, const QuotaUsage &existing,
                      const security::BoxSpec &request);

// The owner's boxes in a backend's list, except `exceptBox` (a redeploy replaces it).
// CPUs and memory from BoxInfo's limits, else from the labels a deploy writes.
QuotaUsage usageOf(const QList<boxes::BoxInfo> &list, const QString &owner,
                   const QString &exceptBox);

// The owner's boxes on one engine, whichever backend (docker, docker-dev) made them: their
// containers by label, each inspected for its CPU and memory limits.
QFuture<Result<QuotaUsage>> engineUsage(docker::DockerClient *client, const QString &owner,
                                        const QString &exceptBox, QObject *guard);

// Appends a quota-refused record to the activity log (never blocks, never fails the caller).
void recordRefusal(const QString &backendId, const security::BoxSpec &spec, const Error &error);

} // namespace bc::policy
