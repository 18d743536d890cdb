#include "core/policy/quotacheck.h"

#include "core/activity/activitylog.h"
#include "core/activity/specparams.h"
#include "core/boxes/boxlabels.h"
#include "core/docker/dockerclient.h"
#include "core/util/async.h"
#include "core/util/futureutil.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace bc::policy {

namespace labels = security::labels;

namespace {

QString ownerName(const QString &owner)
{
    return owner.isEmpty() ? QStringLiteral("(none)") : owner;
}

QString cpuText(double cpus)
{
    return QString::number(cpus, 'g', 6);
}

QString memoryText(qint64 bytes)
{
    // Exact when it is a whole number of a unit, else to one decimal of the largest unit.
    static const struct
    {
        qint64 factor;
        const char *unit;
    } units[] = {{1024LL * 1024 * 1024 * 1024, "t"},
                 {1024LL * 1024 * 1024, "g"},
                 {1024LL * 1024, "m"},
                 {1024LL, "k"}};
    for (const auto &u : units)
        if (bytes >= u.factor)
            return bytes % u.factor == 0
                       ? QString::number(bytes / u.factor) + QLatin1String(u.unit)
                       : QString::number(double(bytes) / double(u.factor), 'f', 1) +
                             QLatin1String(u.unit);
    return QString::number(bytes);
}

void add(QuotaUsage &usage, const QString &box, double cpus, qint64 memory)
{
    if (!usage.boxes.contains(box))
        usage.boxes << box;
    usage.cpus += qMax(0.0, cpus);
    usage.memoryBytes += qMax<qint64>(0, memory);
}

} // namespace

VoidResult checkQuota(const boxes::OwnerQuota &quota, const QuotaUsage &existing,
                      const security::BoxSpec &request)
{
    const QString prefix = QStringLiteral("quota for owner %1: ").arg(ownerName(request.owner));
    const auto refuse = [&](const QString &what) {
        return Error(Error::Kind::Unauthorized, prefix + what);
    };
    if (quota.maxBoxes > 0 && existing.boxes.size() + 1 > quota.maxBoxes)
        return refuse(
            QStringLiteral("%1 boxes max, has %2").arg(quota.maxBoxes).arg(existing.boxes.size()));
    // A hundredth of a CPU is the smallest a box can ask for: sums within that are equal.
    if (quota.maxCpus > 0 && existing.cpus + request.cpus > quota.maxCpus + 0.005)
        return refuse(
            QStringLiteral("%1 CPUs max, has %2, the box asks for %3")
                .arg(cpuText(quota.maxCpus), cpuText(existing.cpus), cpuText(request.cpus)));
    if (quota.maxMemoryBytes > 0 &&
        existing.memoryBytes + request.memoryBytes > quota.maxMemoryBytes)
        return refuse(QStringLiteral("%1 memory max, has %2, the box asks for %3")
                          .arg(memoryText(quota.maxMemoryBytes), memoryText(existing.memoryBytes),
                               memoryText(request.memoryBytes)));
    return {};
}

QuotaUsage usageOf(const QList<boxes::BoxInfo> &list, const QString &owner,
                   const QString &exceptBox)
{
    QuotaUsage usage;
    for (const boxes::BoxInfo &box : list) {
        if (box.owner != owner || box.name == exceptBox || box.name.isEmpty())
            continue;
        double cpus = box.cpuLimit;
        qint64 memory = box.memoryUnlimited ? 0 : box.resources.memoryLimit;
        add(usage, box.name, cpus, memory);
    }
    return usage;
}

QFuture<Result<QuotaUsage>> engineUsage(docker::DockerClient *client, const QString &owner,
                                        const QString &exceptBox, QObject *guard)
{
    AsyncResult<QuotaUsage> async;
    if (!client) {
        async.finish(Error(Error::Kind::Invalid, QStringLiteral("no Docker client")));
        return async.future();
    }
    QStringList labelFilters{labels::role() + QStringLiteral("=container")};
    if (!owner.isEmpty())
        labelFilters << labels::owner() + QLatin1Char('=') + owner;
    docker::Filters filters;
    filters.insert(QStringLiteral("label"), labelFilters);
    QPointer<docker::DockerClient> c(client);
    onFinished(
        client->listContainers(true, filters), guard,
        [async, c, owner, exceptBox, guard](const Result<QList<docker::ContainerSummary>> &list) {
            if (!list) {
                async.finish(list.error().withContext(QStringLiteral("count the owner's boxes")));
                return;
            }
            QList<docker::ContainerSummary> mine;
            for (const auto &s : list.value()) {
                const QString box = s.labels.value(labels::box());
                if (box.isEmpty() || box == exceptBox || s.labels.value(labels::owner()) != owner)
                    continue;
                mine << s;
            }
            auto usage = std::make_shared<QuotaUsage>();
            if (mine.isEmpty() || !c) {
                async.finish(*usage);
                return;
            }
            auto pending = std::make_shared<int>(int(mine.size()));
            auto failed = std::make_shared<bool>(false);
            for (const auto &s : std::as_const(mine)) {
                const QString box = s.labels.value(labels::box());
                onFinished(c->inspectContainer(s.id), guard,
                           [async, usage, pending, failed,
                            box](const Result<docker::ContainerInspect> &inspect) {
                               if (*failed)
                                   return;
                               if (inspect) {
                                   add(*usage, box, double(inspect->nanoCpus) / 1e9,
                                       inspect->memoryLimit);
                               } else if (inspect.error().kind() != Error::Kind::NotFound) {
                                   // Removed meanwhile: no longer counts. Anything else
                                   // leaves the usage unknown, and the deploy cannot go on.
                                   *failed = true;
                                   async.finish(inspect.error().withContext(
                                       QStringLiteral("count the owner's boxes")));
                                   return;
                               }
                               if (--*pending == 0)
                                   async.finish(*usage);
                           });
            }
        });
    return async.future();
}

void recordRefusal(const QString &backendId, const security::BoxSpec &spec, const Error &error)
{
    activity::ActivityLog::instance().record(
        activity::ActivityRecord::make(activity::actions::quotaRefused(), backendId, spec.name,
                                       activity::specParams(spec))
            .refusedWith(error.message()));
}

} // namespace bc::policy
