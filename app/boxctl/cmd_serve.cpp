// boxctl serve: the headless policy service (core/policy/policyservice.h) for one Docker
// engine or one Coolify instance, with webhooks for alerts. Runs until SIGTERM/SIGINT.

#include "app/boxctl/backendoverrides.h"
#include "app/boxctl/cli.h"

#include "core/activity/activitylog.h"
#include "core/boxes/backendfactory.h"
#include "core/boxes/consolesettings.h"
#include "core/boxes/webhooksecrets.h"
#include "core/docker/dockerclient.h"
#include "core/policy/policyservice.h"
#include "core/policy/webhooksender.h"

#include <QDateTime>
#include <QTimer>

#include <atomic>
#include <csignal>

using namespace bc;

namespace {

std::atomic<bool> g_stop{false};

extern "C" void onStopSignal(int)
{
    g_stop = true;
}

int positiveInt(const QString &text, int fallback, bool *ok)
{
    if (text.isEmpty())
        return fallback;
    const int v = text.toInt(ok);
    if (*ok && v <= 0)
        *ok = false;
    return v;
}

int runServe(cli::Context &ctx)
{
    const cli::Args args =
        cli::parseArgs(ctx.args, {QStringLiteral("--webhook"), QStringLiteral("--lease-ttl"),
                                  QStringLiteral("--poll"), QStringLiteral("--actor")});
    if (!args.error.isEmpty())
        return cli::usageError(ctx, args.error);
    if (!args.positional.isEmpty())
        return cli::usageError(
            ctx, QStringLiteral("serve: unexpected argument %1").arg(args.positional.first()));
    QStringList hookTexts = args.all(QStringLiteral("--webhook"));
    const QString leaseTtl = args.value(QStringLiteral("--lease-ttl"));
    const QString poll = args.value(QStringLiteral("--poll"));
    const QString actor = args.value(QStringLiteral("--actor"));
    bool ok = true;
    const int ttl = positiveInt(leaseTtl, 60, &ok);
    if (!ok)
        return cli::usageError(ctx, QStringLiteral("--lease-ttl: a whole number of seconds"));
    const int pollSec = positiveInt(poll, 30, &ok);
    if (!ok)
        return cli::usageError(ctx, QStringLiteral("--poll: a whole number of seconds"));

    boxes::ConsoleSettings settings;
    // Webhooks from the flags, else from the settings (the console edits them), whose URLs
    // are in the secret store. Errors name the entry and the store key, never a URL.
    if (hookTexts.isEmpty()) {
        const auto configured = cli::await(boxes::WebhookSecrets::load(settings));
        if (!configured)
            return cli::fail(ctx, configured.error());
        for (const auto &w : *configured)
            hookTexts << (w.kind == QLatin1String("slack") ? QStringLiteral("slack:") + w.url
                                                           : w.url);
    }
    QList<policy::Webhook> hooks;
    for (const QString &text : std::as_const(hookTexts)) {
        const auto w = policy::Webhook::parse(text, QStringLiteral("--webhook"));
        if (!w)
            return cli::fail(ctx, w.error());
        hooks << *w;
    }

    const boxes::BackendFactory factory(settings, cli::backendOverrides(ctx));

    policy::PolicyServiceOptions options;
    options.actor = actor.isEmpty() ? policy::PolicyService::defaultActor() : actor;
    options.deploy = factory.deployOptions();
    options.leaseTtlSec = ttl;
    options.pollIntervalMs = pollSec * 1000;

    QObject owner;
    std::unique_ptr<docker::DockerClient> client;
    std::unique_ptr<policy::PolicyService> service;
    if (ctx.global.backend == QLatin1String("coolify")) {
        auto backend = factory.createForMode(QStringLiteral("coolify"), &owner);
        if (!backend)
            return cli::fail(ctx, backend.error());
        options.backendId = (*backend)->id();
        service = std::make_unique<policy::PolicyService>(*backend, options);
    } else {
        const auto endpoints = factory.dockerEndpoints();
        if (!endpoints)
            return cli::fail(ctx, endpoints.error());
        if (endpoints->isEmpty())
            return cli::fail(ctx, Error(Error::Kind::NotFound, QStringLiteral("no Docker engine")));
        client = std::make_unique<docker::DockerClient>(endpoints->first());
        options.backendId = QStringLiteral("docker:") + client->endpoint().toUrl();
        service = std::make_unique<policy::PolicyService>(client.get(), options);
    }

    policy::WebhookSender sender;
    sender.setWebhooks(hooks);
    service->setWebhookSender(&sender);
    service->setActivityLog(&activity::ActivityLog::instance());

    auto stamp = []() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODate); };
    QObject::connect(service.get(), &policy::PolicyService::message, &owner,
                     [&](const QString &line) { ctx.out << stamp() << ' ' << line << Qt::endl; });
    QObject::connect(service.get(), &policy::PolicyService::scheduled, &owner,
                     [&](const QString &box, const QString &action, const QDateTime &at) {
                         ctx.out << stamp() << ' ' << box << ": next " << action << " at "
                                 << at.toUTC().toString(Qt::ISODate) << Qt::endl;
                     });
    QObject::connect(service.get(), &policy::PolicyService::acted, &owner,
                     [&](const QString &box, const QString &action, bool good, const QString &e) {
                         ctx.out << stamp() << ' ' << box << ": " << action
                                 << (good ? QStringLiteral(" done")
                                          : QStringLiteral(" failed: ") + e)
                                 << Qt::endl;
                     });
    QObject::connect(&sender, &policy::WebhookSender::dropped, &owner,
                     [&](const QString &id, const QUrl &url, const QString &why) {
                         // The URL's path may carry a token (Slack): the host only.
                         ctx.err << stamp() << " webhook to " << url.host() << " gave up on " << id
                                 << ": " << why << Qt::endl;
                     });

    std::signal(SIGTERM, onStopSignal);
    std::signal(SIGINT, onStopSignal);
    QEventLoop loop;
    QTimer watch;
    QObject::connect(&watch, &QTimer::timeout, &loop, [&]() {
        if (g_stop)
            loop.quit();
    });
    watch.start(200);
    ctx.out << stamp() << " policy service for " << options.backendId << " as " << options.actor
            << " (" << hooks.size() << " webhook" << (hooks.size() == 1 ? "" : "s") << ")"
            << Qt::endl;
    service->start();
    loop.exec();
    ctx.out << stamp() << " stopping" << Qt::endl;
    service->stop();
    // Alerts already queued get a short chance to leave.
    QEventLoop drain;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &drain, &QEventLoop::quit);
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &drain, [&]() {
        if (sender.pending() == 0)
            drain.quit();
    });
    deadline.start(3000);
    check.start(100);
    drain.exec();
    activity::ActivityLog::instance().flush();
    return 0;
}

const cli::Registrar
    regServe({QStringLiteral("serve"),
              QStringLiteral("serve [--backend docker|coolify] [--webhook [slack:]URL]... "
                             "[--lease-ttl SEC] [--poll SEC] [--actor NAME]"),
              QStringLiteral("Enforce box policies (idle stop, expiry, delete) and send alerts, "
                             "headless"),
              runServe});

} // namespace
