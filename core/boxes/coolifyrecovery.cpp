#include "core/boxes/coolifyrecovery.h"

#include "core/boxes/coolifybackend.h"
#include "core/boxes/opholder.h"
#include "core/coolify/coolifyclient.h"
#include "core/util/futureutil.h"

#include <QDateTime>
#include <QStringList>
#include <QUuid>
#include <QtConcurrent>

namespace bc::boxes {

using Kind = Error::Kind;
using namespace bc::coolify;

namespace {

const QLatin1String MarkKey("op=");

// The description's "; "-separated parts, without the mark.
QStringList partsWithoutMark(const QString &description)
{
    QStringList kept;
    for (const QString &part : description.split(QLatin1Char(';'), Qt::SkipEmptyParts))
        if (!part.trimmed().startsWith(MarkKey))
            kept << part.trimmed();
    return kept;
}

class Pass
{
public:
    Pass(CoolifyClient &client, const CoolifyRecovery::Options &options, RecoveryReport &report)
        : c(client)
        , o(options)
        , rep(report)
    {}

    // One marked resource; false when something could not be done.
    bool handle(const CoolifyRecovery::Mark &mark, bool isService, const QString &uuid,
                const QString &name, const QString &description)
    {
        const QString what = isService ? QStringLiteral("service") : QStringLiteral("application");
        const auto live = opholder::liveness(mark.holder);
        const qint64 age = QDateTime::currentSecsSinceEpoch() - mark.startedSecs;
        if (live == opholder::Liveness::Alive ||
            (live == opholder::Liveness::Unknown && age < o.staleAfterSec)) {
            rep.inProgress
                << QStringLiteral("%1 %2 of %3 (%4)").arg(mark.kind, mark.op, name, mark.holder);
            return true;
        }
        if (mark.kind == QLatin1String("policy")) {
            // A policy service's claim (core/policy/coolifyclaim.h) left by one that died:
            // the box itself is whole, only the claim goes.
            const QString action =
                QStringLiteral("clear stale policy claim %1 of %2").arg(mark.op, name);
            if (o.dryRun) {
                rep.actions << QStringLiteral("would ") + action;
                return true;
            }
            const VoidResult r = waitOnLocalLoop(
                c.setDescription(uuid, isService, CoolifyRecovery::unmarked(description)));
            rep.actions
                << (r ? action
                      : QStringLiteral("could not %1: %2").arg(action, r.error().message()));
            return r.ok();
        }
        const bool deploy = mark.kind != QLatin1String("delete");
        CoolifyDeleteOptions options;
        options.deleteVolumes = deploy || !mark.keepData;
        const QString action =
            deploy ? QStringLiteral("delete %1 %2 (%3) of interrupted deploy %4")
                         .arg(what, name, uuid, mark.op)
                   : QStringLiteral("finish interrupted delete %1 of %2 %3 (%4)%5")
                         .arg(mark.op, what, name, uuid,
                              mark.keepData ? QStringLiteral(", keeping its volumes") : QString());
        if (o.dryRun) {
            rep.actions << QStringLiteral("would ") + action;
            return true;
        }
        VoidResult r = waitOnLocalLoop(isService ? c.deleteService(uuid, options)
                                                 : c.deleteApplication(uuid, options));
        if (r || r.error().kind() == Kind::NotFound)
            r = waitOnLocalLoop(isService ? c.waitUntilServiceGone(uuid, o.goneTimeoutMs)
                                          : c.waitUntilGone(uuid, o.goneTimeoutMs));
        if (!r && r.error().kind() != Kind::NotFound) {
            rep.actions << QStringLiteral("could not %1: %2").arg(action, r.error().message());
            return false;
        }
        rep.actions << action;
        ++rep.removed;
        if (deploy)
            ++rep.rolledBack;
        else
            ++rep.finished;
        return true;
    }

    Result<void> run()
    {
        const auto services = waitOnLocalLoop(c.services());
        if (!services)
            return services.error();
        for (const CoolifyService &s : services.value()) {
            if (!CoolifyBackend::isBoxService(s))
                continue;
            if (const auto mark = CoolifyRecovery::markOf(s.description))
                handle(*mark, true, s.uuid, s.name, s.description);
        }
        // Applications are what earlier versions deployed; only a delete marks one.
        const auto apps =
            waitOnLocalLoop(c.applications(QString::fromLatin1(CoolifyConfig::boxTag)));
        if (!apps)
            return apps.error();
        for (const CoolifyApplication &a : apps.value())
            if (const auto mark = CoolifyRecovery::markOf(a.description))
                handle(*mark, false, a.uuid, a.name, a.description);
        return {};
    }

private:
    CoolifyClient &c;
    const CoolifyRecovery::Options &o;
    RecoveryReport &rep;
};

} // namespace

QString CoolifyRecovery::marked(const QString &description, const QString &kind, const QString &op,
                                bool keepData)
{
    QStringList parts = partsWithoutMark(description);
    QStringList fields{kind, op, opholder::current(),
                       QString::number(QDateTime::currentSecsSinceEpoch())};
    if (keepData)
        fields << QStringLiteral("keep");
    parts << MarkKey + fields.join(QLatin1Char(','));
    return parts.join(QStringLiteral("; "));
}

QString CoolifyRecovery::unmarked(const QString &description)
{
    return partsWithoutMark(description).join(QStringLiteral("; "));
}

std::optional<CoolifyRecovery::Mark> CoolifyRecovery::markOf(const QString &description)
{
    for (const QString &part : description.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const QString p = part.trimmed();
        if (!p.startsWith(MarkKey))
            continue;
        const QStringList f = p.mid(MarkKey.size()).split(QLatin1Char(','));
        if (f.size() < 4)
            return std::nullopt;
        Mark m;
        m.kind = f.at(0);
        m.op = f.at(1);
        m.holder = f.at(2);
        m.startedSecs = f.at(3).toLongLong();
        m.keepData = f.size() > 4 && f.at(4) == QLatin1String("keep");
        return m;
    }
    return std::nullopt;
}

QString CoolifyRecovery::newOpId()
{
    return QUuid::createUuid().toString(QUuid::Id128).left(12);
}

Result<RecoveryReport> CoolifyRecovery::runNow(CoolifyClient &client, const Options &options)
{
    RecoveryReport report;
    report.endpoint = client.config().baseUrl.toString();
    Pass pass(client, options, report);
    const auto r = pass.run();
    if (!r)
        return r.error().withContext(QStringLiteral("recover %1").arg(report.endpoint));
    return report;
}

QFuture<Result<RecoveryReport>> CoolifyRecovery::run(const CoolifyConfig &config,
                                                     const Options &options)
{
    return QtConcurrent::run([config, options] {
        CoolifyClient client(config);
        return runNow(client, options);
    });
}

} // namespace bc::boxes
