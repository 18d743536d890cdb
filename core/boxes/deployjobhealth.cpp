#include "core/boxes/deployjobpipeline.h"

#include "core/docker/eventstream.h"

namespace bc::boxes {

using docker::ContainerInspect;
using Kind = Error::Kind;
using namespace deploy;

// ---- health -----------------------------------------------------------------------------

void DeployJob::waitHealthy()
{
    enter(JobStep::Health, QStringLiteral("Waiting for %1 to become healthy").arg(m_spec.name));
    if (cancelled())
        return;
    // Subscribe first, then inspect once the subscription is in place: a health_status
    // event between the two cannot be missed, and one that came before is in the inspect.
    docker::Filters filters;
    filters.insert(QStringLiteral("type"), {QStringLiteral("container")});
    filters.insert(QStringLiteral("container"), {m_containerId});
    m_events = m_client->events(filters);
    connect(m_events, &docker::EventStream::connected, this, [this] { checkHealthNow(true); });
    connect(m_events, &docker::EventStream::eventReceived, this, &DeployJob::onHealthEvent);
    connect(m_events, &docker::EventStream::finished, this, [this](const VoidResult &r) {
        if (m_failed || isFinished() || m_healthSettled)
            return;
        fail(r ? Error(Kind::Transport, QStringLiteral("the engine closed the event stream"))
               : Error(r.error().kind() == Kind::Cancelled ? Kind::Transport : r.error().kind(),
                       QStringLiteral("lost the connection to the engine: %1")
                           .arg(flatten(r.error()))));
    });
    m_healthTimer.start(m_options.healthTimeoutMs);
}

// 137 and 143 are signals from outside the box, and usually its stop (or an engine shutting
// down, which stops every container), not the box's own failure: say so.
static QString exitedBeforeHealthy(int code)
{
    QString why;
    if (code == 137)
        why = QStringLiteral(" (killed: SIGKILL)");
    else if (code == 143)
        why = QStringLiteral(" (terminated: SIGTERM, as sent by a stop or by the engine "
                             "shutting down)");
    return QStringLiteral("container exited with code %1%2 before becoming healthy")
        .arg(code)
        .arg(why);
}

void DeployJob::onHealthEvent(const docker::Event &event)
{
    if (m_failed || isFinished() || m_healthSettled)
        return;
    const QString action = event.action;
    if (action == QLatin1String("die")) {
        const QString code =
            event.attributes.value(QStringLiteral("exitCode"), QStringLiteral("?"));
        noteExternalStop(code.toInt());
        fail(Error(Kind::Server, exitedBeforeHealthy(code.toInt())));
        return;
    }
    if (action == QLatin1String("oom")) {
        fail(Error(
            Kind::Server,
            QStringLiteral("container ran out of memory (OOM killed) before becoming healthy")));
        return;
    }
    if (action.startsWith(QLatin1String("health_status")) || action == QLatin1String("start"))
        checkHealthNow(false);
}

void DeployJob::checkHealthNow(bool /*fromSubscribe*/)
{
    if (m_healthChecking)
        return; // one inspect at a time; the next event triggers another
    m_healthChecking = true;
    then(m_client->inspectContainer(m_containerId), [this](const Result<ContainerInspect> &r) {
        m_healthChecking = false;
        healthDone(r);
    });
}

void DeployJob::healthDone(const Result<ContainerInspect> &result)
{
    if (m_failed || isFinished() || m_healthSettled)
        return;
    if (!result) {
        fail(result.error());
        return;
    }
    const ContainerInspect &c = result.value();
    if (!c.healthLog.isEmpty())
        m_lastHealthOutput = cap(c.healthLog.last().output, 200);
    if (c.oomKilled) {
        fail(Error(
            Kind::Server,
            QStringLiteral("container ran out of memory (OOM killed) before becoming healthy")));
        return;
    }
    if (!c.running && (c.state == QLatin1String("exited") || c.state == QLatin1String("dead"))) {
        noteExternalStop(c.exitCode);
        fail(Error(Kind::Server, exitedBeforeHealthy(c.exitCode)));
        return;
    }
    if (c.health == QLatin1String("healthy")) {
        succeed(c);
        return;
    }
    if (c.health == QLatin1String("unhealthy")) {
        fail(Error(Kind::Server, QStringLiteral("container is unhealthy (last probe: %1)")
                                     .arg(m_lastHealthOutput.isEmpty() ? QStringLiteral("no output")
                                                                       : m_lastHealthOutput)));
        return;
    }
    if (c.health.isEmpty() && c.running) {
        emit progress(QStringLiteral("The image has no health check: running counts as ready"));
        succeed(c);
        return;
    }
    emit progress(QStringLiteral("Health: %1").arg(c.health.isEmpty() ? c.state : c.health));
}

} // namespace bc::boxes
