#include "core/policy/activitymarker.h"

#include "core/docker/dockerclient.h"
#include "core/docker/execsession.h"
#include "core/util/async.h"

namespace bc::policy {

QString ActivityMarker::markerPath()
{
    return QStringLiteral("/tmp/.box-activity");
}

ActivityMarker::ActivityMarker(docker::DockerClient *client, QString containerId, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_container(std::move(containerId))
{
    m_timer.setInterval(IntervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { (void)touch(); });
}

void ActivityMarker::start()
{
    if (m_timer.isActive())
        return;
    m_timer.start();
    (void)touch();
}

void ActivityMarker::stop()
{
    m_timer.stop();
}

QFuture<VoidResult> ActivityMarker::touch()
{
    if (m_inFlight.isValid() && !m_inFlight.isFinished())
        return m_inFlight;
    AsyncResult<void> async;
    if (!m_client) {
        async.finish(Error(Error::Kind::Cancelled, QStringLiteral("the engine is gone")));
        return async.future();
    }
    docker::ExecOptions o;
    o.cmd = {QStringLiteral("touch"), markerPath()};
    // A touch ends by itself: no shell wrapper, no second exec to end it.
    o.endOnClose = false;
    auto *session = new docker::ExecSession(m_client, m_container, o, this);
    connect(session, &docker::ExecSession::finished, this,
            [async, session](const Result<int> &code) {
                session->deleteLater();
                if (!code)
                    async.finish(code.error());
                else if (code.value() != 0)
                    async.finish(
                        Error(Error::Kind::Server, QStringLiteral("touch %1 exited with code %2")
                                                       .arg(markerPath())
                                                       .arg(code.value())));
                else
                    async.finish(VoidResult());
            });
    session->start();
    m_inFlight = async.future();
    return m_inFlight;
}

} // namespace bc::policy
