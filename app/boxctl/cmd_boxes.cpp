// Box commands: ls, deploy, delete, start/stop/restart, status, audit, build --spec.
// They work on every configured backend through BackendFactory, so the same command line
// serves Docker, docker-dev and Coolify boxes.

#include "app/boxctl/activityhooks.h"
#include "app/boxctl/backendoverrides.h"
#include "app/boxctl/cli.h"

#include "core/activity/specparams.h"
#include "core/boxes/backendfactory.h"
#include "core/boxes/boxaudit.h"
#include "core/boxes/boxinfojson.h"
#include "core/boxes/boxlabels.h"
#include "core/boxes/boxrecovery.h"
#include "core/boxes/consolesettings.h"
#include "core/boxes/coolifybackend.h"
#include "core/boxes/coolifyrecovery.h"
#include "core/boxes/deployjournal.h"
#include "core/boxes/dockerbackend.h"
#include "core/boxes/dockerboxinfo.h"
#include "core/docker/buildjob.h"
#include "core/docker/dockerclient.h"
#include "core/docker/statssampler.h"
#include "core/infra/skilldockerfilegenerator.h"
#include "core/security/boxspec.h"
#include "core/security/postureaudit.h"
#include "core/util/byteformat.h"
#include "core/util/jsonwriter.h"
#include "core/util/naturalorder.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdio>

using namespace bc;
using namespace bc::boxes;

namespace {

std::string s(const QString &v)
{
    return v.toStdString();
}

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int)
{
    g_interrupted = true;
}

ConsoleSettings &settings()
{
    static ConsoleSettings instance;
    return instance;
}

void printJsonLine(cli::Context &ctx, const nlohmann::json &j)
{
    ctx.out << QString::fromStdString(j.dump()) << Qt::endl;
}

nlohmann::json errorJson(const Error &e)
{
    return {{"kind", s(Error::kindName(e.kind()))}, {"message", s(e.toString())}};
}

void sleepMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

QString humanBytes(qint64 b)
{
    return b < 0 ? QStringLiteral("-") : formatBytes(b);
}

QString humanAge(const QDateTime &since)
{
    if (!since.isValid())
        return QStringLiteral("-");
    const qint64 secs = since.secsTo(QDateTime::currentDateTimeUtc());
    if (secs < 60)
        return QStringLiteral("%1s").arg(std::max<qint64>(secs, 0));
    if (secs < 3600)
        return QStringLiteral("%1m").arg(secs / 60);
    if (secs < 86400)
        return QStringLiteral("%1h").arg(secs / 3600);
    return QStringLiteral("%1d").arg(secs / 86400);
}

// ---- ls ---------------------------------------------------------------------------------

// Two one-shot samples half a second apart: CPU % needs a delta, and one-shot requests
// return at once (a plain stream=false sample waits for two daemon cycles).
void addResources(QList<BoxInfo> &boxes, const QList<BoxBackend *> &backends)
{
    struct Pending
    {
        int index;
        DockerBackend *backend;
    };
    QList<Pending> pending;
    for (int i = 0; i < boxes.size(); ++i) {
        if (boxes[i].state != BoxInfo::State::Running)
            continue;
        for (BoxBackend *b : backends)
            if (b->id() == boxes[i].backendId)
                if (auto *d = qobject_cast<DockerBackend *>(b))
                    pending << Pending{i, d};
    }
    if (pending.isEmpty())
        return;
    const auto sampleAll = [&pending, &boxes] {
        QList<QFuture<Result<docker::StatsSample>>> futures;
        for (const Pending &p : std::as_const(pending))
            futures << p.backend->stats()->sample(boxes[p.index].id);
        QList<Result<docker::StatsSample>> results;
        for (const auto &f : std::as_const(futures))
            results << cli::await(f);
        return results;
    };
    sampleAll();
    sleepMs(500);
    const auto second = sampleAll();
    for (int i = 0; i < pending.size(); ++i) {
        BoxInfo &b = boxes[pending[i].index];
        if (second[i])
            dockerinfo::applySample(b.resources, second[i].value(), b.memoryUnlimited);
    }
}

// A configured backend that could not be created or listed: ls still prints the others.
struct BackendFailure
{
    QString backend; // coolify | docker | docker-dev
    QString host;
    Error error;
};

// BackendFactory::createAll, with each backend that cannot be set up recorded as a failure
// instead of a warning: a Coolify without token or with a refused URL is a failed backend.
QList<BoxBackend *> createBackends(const cli::Context &ctx, QObject *owner,
                                   QList<BackendFailure> *failures)
{
    const BackendFactory factory(settings(), cli::backendOverrides(ctx));
    const QString only = ctx.global.backend.trimmed().toLower();
    if (!only.isEmpty()) {
        auto one = factory.createForMode(only, owner);
        if (!one) {
            const QString host =
                only == QLatin1String("coolify") ? ctx.global.coolifyUrl : ctx.global.host;
            failures->append({only, host, one.error()});
            return {};
        }
        return {one.value()};
    }
    QStringList warnings;
    QList<BoxBackend *> out = factory.createAll(owner, &warnings);
    bool haveCoolify = false;
    for (BoxBackend *b : out)
        haveCoolify = haveCoolify || b->kind() == QLatin1String("coolify");
    for (const QString &w : std::as_const(warnings)) {
        const bool coolify = !haveCoolify && w.startsWith(QLatin1String("Coolify"));
        failures->append({coolify ? QStringLiteral("coolify") : QStringLiteral("docker"),
                          {},
                          Error(Error::Kind::Invalid, w)});
    }
    return out;
}

// naturalCompare's order (then the backend), from one sort key per box: a collation per
// comparison was most of sorting a thousand boxes.
void sortByName(QList<BoxInfo> &boxes)
{
    struct Entry
    {
        QCollatorSortKey key;
        qsizetype index;
    };
    std::vector<Entry> order;
    order.reserve(std::size_t(boxes.size()));
    for (qsizetype i = 0; i < boxes.size(); ++i)
        order.push_back({naturalSortKey(boxes[i].name), i});
    std::sort(order.begin(), order.end(), [&boxes](const Entry &x, const Entry &y) {
        const BoxInfo &a = boxes[x.index];
        const BoxInfo &b = boxes[y.index];
        int c = x.key.compare(y.key);
        if (c == 0)
            c = a.name.compare(b.name);
        return c == 0 ? a.backendId < b.backendId : c < 0;
    });
    QList<BoxInfo> sorted;
    sorted.reserve(boxes.size());
    for (const Entry &e : order)
        sorted.append(std::move(boxes[e.index]));
    boxes = std::move(sorted);
}

int cmdLs(cli::Context &ctx)
{
    const cli::Args args =
        cli::parseArgs(ctx.args, {QStringLiteral("--timeout")}, {QStringLiteral("--no-stats")});
    if (!args.error.isEmpty())
        return cli::usageError(ctx, args.error);
    const bool noStats = args.isSet(QStringLiteral("--no-stats"));
    int timeoutMs = -1;
    if (args.isSet(QStringLiteral("--timeout"))) {
        const QString timeoutText = args.value(QStringLiteral("--timeout"));
        bool ok = false;
        const double seconds = timeoutText.toDouble(&ok);
        if (!ok || seconds < 0)
            return cli::usageError(
                ctx, QStringLiteral("--timeout: expected seconds, got %1").arg(timeoutText));
        timeoutMs = int(seconds * 1000);
    }
    if (!args.positional.isEmpty())
        return cli::usageError(
            ctx, QStringLiteral("ls: unexpected argument %1").arg(args.positional.first()));
    const QString only = ctx.global.backend.trimmed().toLower();
    if (!only.isEmpty() && !ConsoleSettings::isValidDeployMode(only))
        return cli::usageError(
            ctx, QStringLiteral("--backend: expected coolify, docker or docker-dev, got %1")
                     .arg(ctx.global.backend));
    QObject owner;
    QList<BackendFailure> failed;
    const QList<BoxBackend *> backends = createBackends(ctx, &owner, &failed);
    // Every backend is asked before any answer is awaited: the total is the slowest one,
    // and each engine's own timeout keeps a hung one from holding up the rest.
    QList<QFuture<Result<QList<BoxInfo>>>> futures;
    for (BoxBackend *b : backends) {
        if (auto *d = qobject_cast<DockerBackend *>(b); d && timeoutMs >= 0)
            d->setListTimeout(timeoutMs);
        futures << b->list();
    }
    QList<BoxInfo> boxes;
    for (int i = 0; i < backends.size(); ++i) {
        const auto r = cli::await(futures[i]);
        if (!r) {
            failed.append({backends[i]->kind(), backends[i]->displayHost(), r.error()});
            continue;
        }
        boxes << r.value();
    }
    const int failures = int(failed.size());
    if (!noStats)
        addResources(boxes, backends);
    sortByName(boxes);
    for (const BackendFailure &f : std::as_const(failed))
        ctx.err << "boxctl: " << f.backend
                << (f.host.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(f.host)) << ": "
                << f.error.toString() << Qt::endl;
    if (ctx.global.json) {
        // Written from the records, as dump(2) of {"boxes", "errors"} would print it.
        JsonWriter w(2);
        w.reserve(std::size_t(boxes.size()) * 1200 + 256);
        w.beginObject();
        w.key("boxes");
        w.beginArray();
        for (const BoxInfo &b : std::as_const(boxes))
            writeBoxInfoJson(w, b);
        w.endArray();
        w.key("errors");
        w.beginArray();
        for (const BackendFailure &f : std::as_const(failed)) {
            w.beginObject();
            w.key("backend");
            w.value(f.backend);
            w.key("error");
            w.beginObject();
            w.key("kind");
            w.value(Error::kindName(f.error.kind()));
            w.key("message");
            w.value(f.error.toString());
            w.endObject();
            w.key("host");
            w.value(f.host);
            w.endObject();
        }
        w.endArray();
        w.endObject();
        std::string text = w.take();
        text += '\n';
        cli::writeUtf8(ctx.out, text);
    } else {
        QList<QStringList> rows;
        rows << QStringList{
            QStringLiteral("NAME"),  QStringLiteral("BACKEND"), QStringLiteral("HOST"),
            QStringLiteral("STATE"), QStringLiteral("HEALTH"),  QStringLiteral("CPU"),
            QStringLiteral("MEM"),   QStringLiteral("UPTIME"),  QStringLiteral("IMAGE")};
        for (const BoxInfo &b : std::as_const(boxes)) {
            const QString cpu =
                b.resources.cpuPercent < 0
                    ? QStringLiteral("-")
                    : QString::number(b.resources.cpuPercent, 'f', 1) + QLatin1Char('%');
            const QString mem =
                b.resources.memoryUsage < 0
                    ? QStringLiteral("-")
                    : humanBytes(b.resources.memoryUsage) +
                          (b.resources.memoryLimit > 0
                               ? QStringLiteral(" / ") + humanBytes(b.resources.memoryLimit)
                               : QString());
            rows << QStringList{b.name,
                                b.backendKind,
                                b.host,
                                BoxInfo::stateName(b.state),
                                BoxInfo::healthName(b.health),
                                cpu,
                                mem,
                                b.state == BoxInfo::State::Running
                                    ? humanAge(b.startedAt.isValid() ? b.startedAt : b.createdAt)
                                    : QStringLiteral("-"),
                                b.image};
        }
        cli::printTable(ctx.out, rows);
    }
    cli::exitNow(ctx, failures > 0 ? 1 : 0);
}

// ---- jobs -------------------------------------------------------------------------------

// Runs a deploy/delete job to its end, printing progress; Ctrl-C cancels it (and so rolls
// back what it created) instead of leaving half a box behind.
int runJob(cli::Context &ctx, BoxJob *job, const QString &what)
{
    const bool json = ctx.global.json;
    QObject::connect(
        job, &BoxJob::stepStarted, job, [&ctx, json](const QString &step, const QString &text) {
            if (json)
                printJsonLine(ctx, {{"event", "step"}, {"step", s(step)}, {"text", s(text)}});
            else
                ctx.out << "==> " << text << Qt::endl;
        });
    QObject::connect(job, &BoxJob::progress, job, [&ctx, json](const QString &text) {
        if (json)
            printJsonLine(ctx, {{"event", "progress"}, {"text", s(text)}});
        else
            ctx.out << "    " << text << Qt::endl;
    });
    g_interrupted = false;
    auto previous = std::signal(SIGINT, onInterrupt);
    QTimer poll;
    bool cancelled = false;
    QObject::connect(&poll, &QTimer::timeout, job, [&] {
        if (g_interrupted && !cancelled) {
            cancelled = true;
            if (!json)
                ctx.err << "boxctl: interrupted, cancelling " << what << Qt::endl;
            job->cancel();
        }
    });
    poll.start(100);
    QEventLoop loop;
    QObject::connect(job, &BoxJob::finished, &loop, &QEventLoop::quit);
    if (!job->isFinished())
        loop.exec();
    poll.stop();
    std::signal(SIGINT, previous);
    const Result<BoxInfo> r = job->result();
    if (json) {
        if (r)
            printJsonLine(ctx,
                          {{"event", "finished"}, {"ok", true}, {"box", boxInfoToJson(r.value())}});
        else
            printJsonLine(ctx,
                          {{"event", "finished"}, {"ok", false}, {"error", errorJson(r.error())}});
        return r ? 0 : (r.error().kind() == Error::Kind::Invalid ? 2 : 1);
    }
    if (!r)
        return cli::fail(ctx, r.error());
    if (r->state == BoxInfo::State::Removing) {
        ctx.out << what << ": " << r->name << Qt::endl;
        return 0;
    }
    ctx.out << what << ": " << r->name << " " << BoxInfo::stateName(r->state);
    if (r->health != BoxInfo::Health::None)
        ctx.out << " (" << BoxInfo::healthName(r->health) << ")";
    if (!r->url.isEmpty())
        ctx.out << " " << r->url;
    ctx.out << Qt::endl;
    return 0;
}

Result<security::BoxSpec> readSpec(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return Error(Error::Kind::Io,
                     QStringLiteral("cannot read %1: %2").arg(file, f.errorString()));
    auto spec = security::BoxSpec::fromJsonText(f.read(2 * 1024 * 1024));
    if (!spec)
        return spec.error().withContext(file);
    return spec;
}

Result<BoxBackend *> targetBackend(cli::Context &ctx, QObject *owner)
{
    const BackendFactory factory(settings(), cli::backendOverrides(ctx));
    return factory.createTarget(owner);
}

// BOX_CONSOLE_EXTRA_LABELS="k=v,k2=v2": put on every object boxctl creates (tests label
// theirs so that cleanup by label finds them).
QMap<QString, QString> extraLabels()
{
    QMap<QString, QString> out;
    const QString env = qEnvironmentVariable("BOX_CONSOLE_EXTRA_LABELS");
    for (const QString &pair : env.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq > 0)
            out.insert(pair.left(eq).trimmed(), pair.mid(eq + 1).trimmed());
    }
    return out;
}

void printRecovery(cli::Context &ctx, const RecoveryReport &r, bool all)
{
    if (r.leaseBusy) {
        ctx.err << "boxctl: " << r.summary() << Qt::endl;
        return;
    }
    if (!all) {
        for (const QString &a : r.actions)
            ctx.err << "boxctl: recovery: " << a << Qt::endl;
        if (!r.isEmpty())
            ctx.err << "boxctl: recovered " << r.summary() << Qt::endl;
        return;
    }
    for (const QString &k : r.kept)
        ctx.out << r.endpoint << ": " << k << Qt::endl;
    for (const QString &o : r.orphans)
        ctx.out << r.endpoint << ": " << o << " (not removed; `boxctl gc --remove-orphans`)"
                << Qt::endl;
    for (const QString &p : r.inProgress)
        ctx.out << r.endpoint << ": in progress, left alone: " << p << Qt::endl;
}

// Before a command changes boxes on an engine: finish or roll back what an interrupted
// boxctl or console left there (BoxRecovery). BOX_CONSOLE_NO_RECOVERY=1 skips it.
void recoverFirst(cli::Context &ctx, BoxBackend *backend)
{
    if (auto *coolify = qobject_cast<CoolifyBackend *>(backend);
        coolify && coolify->client() && !qEnvironmentVariableIntValue("BOX_CONSOLE_NO_RECOVERY")) {
        const auto r = CoolifyRecovery::runNow(*coolify->client(), {});
        if (!r)
            ctx.err << "boxctl: recovery: " << r.error().toString() << Qt::endl;
        else
            printRecovery(ctx, r.value(), false);
        return;
    }
    auto *docker = qobject_cast<DockerBackend *>(backend);
    if (!docker || !docker->client() || qEnvironmentVariableIntValue("BOX_CONSOLE_NO_RECOVERY"))
        return;
    BoxRecovery::Options o;
    o.journalDir = docker->deployOptions().journalDir;
    o.extraLabels = docker->deployOptions().extraLabels;
    const auto r = BoxRecovery::runNow(docker->client()->endpoint(), o);
    if (!r) {
        ctx.err << "boxctl: recovery: " << r.error().toString() << Qt::endl;
        return;
    }
    printRecovery(ctx, r.value(), false);
}

void applyLabels(BoxBackend *backend)
{
    const auto labels = extraLabels();
    auto *docker = qobject_cast<DockerBackend *>(backend);
    if (!docker || labels.isEmpty())
        return;
    DeployOptions o = docker->deployOptions();
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        o.extraLabels.insert(it.key(), it.value());
    docker->setDeployOptions(o);
}

int cmdDeploy(cli::Context &ctx)
{
    const cli::Args args =
        cli::parseArgs(ctx.args, {QStringLiteral("--spec")},
                       {QStringLiteral("--redeploy"), QStringLiteral("--keep-failed")});
    const QString file = args.value(QStringLiteral("--spec"));
    const bool redeploy = args.isSet(QStringLiteral("--redeploy"));
    const bool keepFailed = args.isSet(QStringLiteral("--keep-failed"));
    if (!args.error.isEmpty() || file.isEmpty() || !args.positional.isEmpty())
        return cli::usageError(ctx, args,
                               QStringLiteral("usage: boxctl deploy --spec FILE [--redeploy] "
                                              "[--keep-failed] [--json]"));
    const auto spec = readSpec(file);
    if (!spec)
        return cli::fail(ctx, spec.error());
    QObject owner;
    auto backend = targetBackend(ctx, &owner);
    if (!backend)
        return cli::fail(ctx, backend.error());
    applyLabels(backend.value());
    if (auto *docker = qobject_cast<DockerBackend *>(backend.value())) {
        DeployOptions o = docker->deployOptions();
        o.skillsDir = QFileInfo(file).absolutePath(); // skills are relative to the spec
        o.redeploy = redeploy;
        o.keepFailed = keepFailed;
        docker->setDeployOptions(o);
    }
    recoverFirst(ctx, backend.value());
    BoxJob *job = backend.value()->deploy(spec.value());
    const int status = runJob(ctx, job, QStringLiteral("deployed"));
    cli::recordJob(ctx, job,
                   activity::ActivityRecord::make(
                       redeploy ? activity::actions::redeploy() : activity::actions::deploy(),
                       backend.value()->id(), spec->name, activity::specParams(spec.value())));
    return status;
}

int cmdDelete(cli::Context &ctx)
{
    const cli::Args args = cli::parseArgs(ctx.args, {}, {QStringLiteral("--keep-data")});
    const bool keep = args.isSet(QStringLiteral("--keep-data"));
    if (!args.error.isEmpty() || args.positional.size() != 1)
        return cli::usageError(ctx, args,
                               QStringLiteral("usage: boxctl delete NAME [--keep-data]"));
    QObject owner;
    auto backend = targetBackend(ctx, &owner);
    if (!backend)
        return cli::fail(ctx, backend.error());
    applyLabels(backend.value());
    recoverFirst(ctx, backend.value());
    BoxJob *job = backend.value()->remove(args.positional.first(), keep);
    const int status = runJob(ctx, job, QStringLiteral("deleted"));
    cli::recordJob(ctx, job,
                   activity::ActivityRecord::make(activity::actions::remove(),
                                                  backend.value()->id(), args.positional.first(),
                                                  {{QStringLiteral("keepData"), keep}}));
    return status;
}

int simpleCall(cli::Context &ctx, const QString &verb)
{
    if (ctx.args.size() != 1)
        return cli::usageError(ctx, QStringLiteral("usage: boxctl %1 NAME").arg(verb));
    QObject owner;
    auto backend = targetBackend(ctx, &owner);
    if (!backend)
        return cli::fail(ctx, backend.error());
    BoxBackend *b = backend.value();
    const QString name = ctx.args.first();
    const VoidResult r = cli::await(verb == QLatin1String("start")  ? b->start(name)
                                    : verb == QLatin1String("stop") ? b->stop(name)
                                                                    : b->restart(name));
    cli::recordActivity(ctx, activity::ActivityRecord::make(verb, b->id(), name),
                        r ? nullptr : &r.error());
    if (ctx.global.json) {
        printJsonLine(ctx, r ? nlohmann::json{{"ok", true}, {"name", s(name)}, {"action", s(verb)}}
                             : nlohmann::json{{"ok", false}, {"error", errorJson(r.error())}});
        return r ? 0 : 1;
    }
    if (!r)
        return cli::fail(ctx, r.error());
    ctx.out << verb << ": " << name << Qt::endl;
    return 0;
}

int cmdStatus(cli::Context &ctx)
{
    if (ctx.args.size() != 1)
        return cli::usageError(ctx, QStringLiteral("usage: boxctl status NAME [--json]"));
    QObject owner;
    auto backend = targetBackend(ctx, &owner);
    if (!backend)
        return cli::fail(ctx, backend.error());
    const auto r = cli::await(backend.value()->status(ctx.args.first()));
    if (!r)
        return cli::fail(ctx, r.error());
    QList<BoxInfo> one{r.value()};
    addResources(one, {backend.value()});
    const BoxInfo &b = one.first();
    if (ctx.global.json) {
        ctx.out << QString::fromStdString(boxInfoToJson(b).dump(2)) << Qt::endl;
        return 0;
    }
    const QList<QPair<QString, QString>> fields = {
        {QStringLiteral("name"), b.name},
        {QStringLiteral("backend"),
         b.backendKind + QStringLiteral(" (") + b.host + QLatin1Char(')')},
        {QStringLiteral("id"), b.id},
        {QStringLiteral("state"), BoxInfo::stateName(b.state)},
        {QStringLiteral("health"), BoxInfo::healthName(b.health)},
        {QStringLiteral("status"), b.statusText},
        {QStringLiteral("owner"), b.owner},
        {QStringLiteral("subdomain"), b.subdomain},
        {QStringLiteral("url"), b.url},
        {QStringLiteral("image"), b.image},
        {QStringLiteral("cpu"),
         b.resources.cpuPercent < 0
             ? QStringLiteral("-")
             : QString::number(b.resources.cpuPercent, 'f', 1) + QLatin1Char('%')},
        {QStringLiteral("memory"), humanBytes(b.resources.memoryUsage) + QStringLiteral(" / ") +
                                       humanBytes(b.resources.memoryLimit)},
        {QStringLiteral("created"),
         b.createdAt.isValid() ? b.createdAt.toString(Qt::ISODate) : QStringLiteral("-")},
        {QStringLiteral("started"),
         b.startedAt.isValid() ? b.startedAt.toString(Qt::ISODate) : QStringLiteral("-")},
    };
    for (const auto &[k, v] : fields)
        ctx.out << QString(k + QLatin1Char(':')).leftJustified(11)
                << (v.isEmpty() ? QStringLiteral("-") : v) << '\n';
    ctx.out.flush();
    return 0;
}

// ---- audit ------------------------------------------------------------------------------

int cmdAudit(cli::Context &ctx)
{
    if (ctx.args.size() != 1)
        return cli::usageError(ctx, QStringLiteral("usage: boxctl audit NAME [--json]"));
    QObject owner;
    auto backend = targetBackend(ctx, &owner);
    if (!backend)
        return cli::fail(ctx, backend.error());
    auto *docker = qobject_cast<DockerBackend *>(backend.value());
    if (!docker)
        return cli::fail(ctx,
                         Error(Error::Kind::Invalid,
                               QStringLiteral("audit inspects containers: use a Docker backend "
                                              "(--backend docker or docker-dev)")));
    const auto inspect = cli::await(docker->inspect(ctx.args.first()));
    if (!inspect)
        return cli::fail(ctx, inspect.error());
    // The same options as the console's detail pane (engine AppArmor, secret names).
    const auto options = cli::await(BoxAudit::options(docker));
    const auto findings = security::PostureAudit::audit(
        inspect->raw, options ? options.value() : security::AuditOptions{});
    const bool high = security::PostureAudit::hasHighSeverity(findings);
    if (ctx.global.json) {
        ctx.out << QString::fromStdString(nlohmann::json{
                       {"name", s(inspect->name)},
                       {"findings", security::PostureAudit::toJson(findings)},
                       {"highSeverity", high}}.dump(2))
                << Qt::endl;
    } else if (findings.isEmpty()) {
        ctx.out << inspect->name << ": no drift from the hardening profile" << Qt::endl;
    } else {
        QList<QStringList> rows;
        rows << QStringList{QStringLiteral("SEVERITY"), QStringLiteral("ID"),
                            QStringLiteral("FINDING"), QStringLiteral("DETAIL")};
        for (const auto &f : findings)
            rows << QStringList{security::Finding::severityName(f.severity), f.id, f.title,
                                f.detail};
        cli::printTable(ctx.out, rows);
    }
    // 3: distinguishable from "could not audit" (1) in scripts.
    return high ? 3 : 0;
}

// ---- build --spec -----------------------------------------------------------------------

int cmdBuildSpec(cli::Context &ctx)
{
    // The command is "build --spec": FILE is the first positional argument.
    const cli::Args args =
        cli::parseArgs(ctx.args, {QStringLiteral("--base"), QStringLiteral("--tag")});
    const QString file = args.positional.value(0);
    const QString base =
        args.value(QStringLiteral("--base"), QStringLiteral("box-console/box-base:latest"));
    QString tag = args.value(QStringLiteral("--tag"));
    if (!args.error.isEmpty() || file.isEmpty() || args.positional.size() != 1)
        return cli::usageError(
            ctx, args,
            QStringLiteral("usage: boxctl build --spec FILE [--base IMAGE] [--tag TAG]"));
    const auto spec = readSpec(file);
    if (!spec)
        return cli::fail(ctx, spec.error());
    if (spec->skills.isEmpty())
        return cli::fail(ctx, Error(Error::Kind::Invalid,
                                    QStringLiteral("%1: the spec lists no skills").arg(file)));
    if (tag.isEmpty())
        tag = QStringLiteral("box-console/%1:%2").arg(spec->name, spec->hash().left(12));
    const BackendFactory factory(settings(), cli::backendOverrides(ctx));
    const auto endpoints = factory.dockerEndpoints();
    if (!endpoints)
        return cli::fail(ctx, endpoints.error());
    docker::DockerClient client(endpoints->first());
    const auto baseImage = cli::await(client.inspectImage(base));
    if (!baseImage)
        return cli::fail(
            ctx, Error(Error::Kind::NotFound,
                       QStringLiteral("base image %1 is not on this engine (box-console never "
                                      "pulls; --base names another)")
                           .arg(base)));
    const QDir root = QFileInfo(file).absoluteDir();
    QStringList dirs;
    for (const QString &skill : spec->skills)
        dirs << QDir::cleanPath(root.absoluteFilePath(skill));
    infra::SkillDockerfileGenerator::Options go;
    go.baseImage = base;
    const auto out = infra::SkillDockerfileGenerator(go).generateFromDirectories(dirs);
    if (!out)
        return cli::fail(ctx, out.error());
    QTemporaryDir context;
    QFile df(QDir(context.path()).filePath(QStringLiteral("Dockerfile")));
    if (!df.open(QIODevice::WriteOnly))
        return cli::fail(ctx,
                         Error(Error::Kind::Io, QStringLiteral("cannot write the build context")));
    df.write(out->dockerfile.toUtf8());
    df.close();
    for (const auto &[inside, source] : out->files) {
        const QString target = QDir(context.path()).filePath(inside);
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (!QFile::copy(source, target))
            return cli::fail(ctx,
                             Error(Error::Kind::Io, QStringLiteral("cannot copy %1").arg(inside)));
    }
    docker::BuildOptions bo;
    bo.contextDir = context.path();
    bo.tags = {tag};
    bo.labels.insert(labels::box(), spec->name);
    bo.labels.insert(labels::role(), QStringLiteral("image"));
    docker::BuildJob *job = client.build(bo);
    const bool json = ctx.global.json;
    QObject::connect(job, &docker::BuildJob::output, &client, [&ctx, json](const QString &text) {
        if (json)
            printJsonLine(ctx, {{"event", "output"}, {"text", s(text)}});
        else
            ctx.out << text << Qt::flush;
    });
    std::optional<Result<QString>> result;
    QEventLoop loop;
    QObject::connect(job, &docker::BuildJob::finished, &loop, [&](const Result<QString> &r) {
        result = r;
        loop.quit();
    });
    loop.exec();
    if (!result || !*result)
        return json ? (printJsonLine(
                           ctx, {{"event", "finished"},
                                 {"ok", false},
                                 {"error",
                                  errorJson(result ? result->error()
                                                   : Error(Error::Kind::Cancelled,
                                                           QStringLiteral("build abandoned")))}}),
                       1)
                    : cli::fail(ctx, result ? result->error()
                                            : Error(Error::Kind::Cancelled,
                                                    QStringLiteral("build abandoned")));
    if (json)
        printJsonLine(
            ctx,
            {{"event", "finished"}, {"ok", true}, {"image", s(tag)}, {"id", s(result->value())}});
    else
        ctx.out << "built " << tag << " (" << result->value().left(19) << ")" << Qt::endl;
    return 0;
}

// ---- gc ---------------------------------------------------------------------------------

// Recovery on every configured engine (BoxRecovery): interrupted deploys rolled back,
// interrupted deletes finished, networks and secrets of boxes without a container removed.
// Kept data (`delete --keep-data`) is listed with owner and age and removed only with
// --remove-kept; box volumes with neither container nor record only with --remove-orphans.
int cmdGc(cli::Context &ctx)
{
    const cli::Args args =
        cli::parseArgs(ctx.args, {},
                       {QStringLiteral("--dry-run"), QStringLiteral("--remove-kept"),
                        QStringLiteral("--remove-orphans")});
    BoxRecovery::Options o;
    o.dryRun = args.isSet(QStringLiteral("--dry-run"));
    o.removeKept = args.isSet(QStringLiteral("--remove-kept"));
    o.removeOrphans = args.isSet(QStringLiteral("--remove-orphans"));
    o.extraLabels = extraLabels();
    if (!args.error.isEmpty() || !args.positional.isEmpty())
        return cli::usageError(
            ctx, args,
            QStringLiteral("usage: boxctl gc [--dry-run] [--remove-kept] [--remove-orphans]"));
    const BackendFactory factory(settings(), cli::backendOverrides(ctx));
    // `--backend coolify` recovers Coolify work only, as the other commands list and act on
    // that backend only.
    const bool dockerToo = ctx.global.backend != QLatin1String("coolify");
    const auto endpoints = dockerToo ? factory.dockerEndpoints()
                                     : Result<QList<http::Endpoint>>(QList<http::Endpoint>{});
    if (!endpoints)
        return cli::fail(ctx, endpoints.error());
    int failures = 0;
    for (const http::Endpoint &endpoint : endpoints.value()) {
        const auto r = BoxRecovery::runNow(endpoint, o);
        if (!r) {
            ctx.err << "boxctl: " << r.error().toString() << Qt::endl;
            ++failures;
            continue;
        }
        for (const QString &a : r->actions) {
            ctx.out << endpoint.toUrl() << ": " << a << Qt::endl;
            if (a.startsWith(QLatin1String("could not")))
                ++failures;
        }
        printRecovery(ctx, r.value(), true);
        if (r->leaseBusy)
            ++failures;
        else if (!o.dryRun)
            ctx.out << r->summary() << Qt::endl;
    }
    // Coolify, when configured: deploys and deletes interrupted between two Coolify calls.
    QObject owner;
    for (BoxBackend *b : factory.createAll(&owner)) {
        auto *coolify = qobject_cast<CoolifyBackend *>(b);
        if (!coolify || !coolify->client())
            continue;
        CoolifyRecovery::Options co;
        co.dryRun = o.dryRun;
        const auto r = CoolifyRecovery::runNow(*coolify->client(), co);
        if (!r) {
            ctx.err << "boxctl: " << r.error().toString() << Qt::endl;
            ++failures;
            continue;
        }
        for (const QString &a : r->actions) {
            ctx.out << r->endpoint << ": " << a << Qt::endl;
            if (a.startsWith(QLatin1String("could not")))
                ++failures;
        }
        printRecovery(ctx, r.value(), true);
        if (!o.dryRun)
            ctx.out << r->summary() << Qt::endl;
    }
    return failures ? 1 : 0;
}

const cli::Registrar regLs(
    {QStringLiteral("ls"), QStringLiteral("ls [--json] [--no-stats] [--timeout SECONDS]"),
     QStringLiteral("Boxes of every configured backend, with state, health, resources"), cmdLs});
const cli::Registrar regDeploy(
    {QStringLiteral("deploy"),
     QStringLiteral("deploy --spec FILE [--redeploy] [--keep-failed] [--json]"),
     QStringLiteral("Deploy a box from a spec (--redeploy replaces an existing one, restoring it "
                    "on failure); Ctrl-C rolls back"),
     cmdDeploy});
const cli::Registrar
    regDelete({QStringLiteral("delete"), QStringLiteral("delete NAME [--keep-data]"),
               QStringLiteral("Delete a box, its volumes (unless kept) and network"), cmdDelete});
const cli::Registrar
    regStart({QStringLiteral("start"), QStringLiteral("start NAME"), QStringLiteral("Start a box"),
              [](cli::Context &c) { return simpleCall(c, QStringLiteral("start")); }});
const cli::Registrar
    regStop({QStringLiteral("stop"), QStringLiteral("stop NAME"), QStringLiteral("Stop a box"),
             [](cli::Context &c) { return simpleCall(c, QStringLiteral("stop")); }});
const cli::Registrar regRestart({QStringLiteral("restart"), QStringLiteral("restart NAME"),
                                 QStringLiteral("Restart a box"), [](cli::Context &c) {
                                     return simpleCall(c, QStringLiteral("restart"));
                                 }});
const cli::Registrar regStatus({QStringLiteral("status"), QStringLiteral("status NAME [--json]"),
                                QStringLiteral("State, health and resources of one box"),
                                cmdStatus});
const cli::Registrar regAudit(
    {QStringLiteral("audit"), QStringLiteral("audit NAME [--json]"),
     QStringLiteral("Drift from the hardening profile (exit 3: high severity)"), cmdAudit});
const cli::Registrar regGc(
    {QStringLiteral("gc"), QStringLiteral("gc [--dry-run] [--remove-kept] [--remove-orphans]"),
     QStringLiteral("Roll back interrupted deploys, finish interrupted deletes; list kept data"),
     cmdGc});
// Two words, so that it wins over the engine's plain `build --context` by longest match.
const cli::Registrar regBuildSpec({QStringLiteral("build --spec"),
                                   QStringLiteral("build --spec FILE [--base IMAGE] [--tag TAG]"),
                                   QStringLiteral("Build a box image from the spec's skills"),
                                   cmdBuildSpec});

} // namespace
