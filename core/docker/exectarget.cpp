#include "core/docker/exectarget.h"

#include "core/docker/dockerclient.h"
#include "core/docker/execsession.h"
#include "core/security/boxlabels.h"
#include "core/util/async.h"
#include "core/util/futureutil.h"

namespace bc::docker {

namespace execpolicy {

QString rootLabel()
{
    return QStringLiteral("box-console.exec-root");
}

bool isRoot(const QString &user)
{
    const QString u = user.section(QLatin1Char(':'), 0, 0).trimmed();
    if (u == QLatin1String("root"))
        return true;
    bool numeric = false;
    const uint uid = u.toUInt(&numeric);
    return numeric && uid == 0;
}

Result<QString> chooseUser(const ExecTarget &target, const QString &requested)
{
    if (requested.isEmpty()) {
        const QString user =
            target.boxUser.isEmpty() ? QStringLiteral("1000:1000") : target.boxUser;
        // An image without a USER would put us in as root: the box's user is the default
        // only while it is not root.
        if (isRoot(user))
            return QStringLiteral("1000:1000");
        return user;
    }
    if (isRoot(requested) && !target.rootAllowed)
        return Error(Error::Kind::Unauthorized,
                     QStringLiteral("root is not allowed in %1: its profile does not set %2=allow")
                         .arg(target.box.isEmpty() ? target.name : target.box, rootLabel()));
    return requested;
}

} // namespace execpolicy

namespace {

ExecTarget fromInspect(const ContainerInspect &c)
{
    ExecTarget t;
    t.containerId = c.id;
    t.name = c.name;
    t.box = c.labels.value(security::labels::box());
    t.running = c.running && c.state == QLatin1String("running");
    if (c.raw.is_object() && c.raw.contains("Config") && c.raw["Config"].is_object()) {
        const auto &config = c.raw["Config"];
        if (config.contains("User") && config["User"].is_string())
            t.boxUser = QString::fromStdString(config["User"].get<std::string>());
    }
    t.rootAllowed = c.labels.value(execpolicy::rootLabel()) == QLatin1String("allow");
    return t;
}

} // namespace

QFuture<Result<ExecTarget>> resolveExecTarget(DockerClient *client, const QString &box)
{
    AsyncResult<ExecTarget> async;
    if (box.isEmpty()) {
        async.finish(Error(Error::Kind::Invalid, QStringLiteral("no box named")));
        return async.future();
    }
    Filters filters;
    filters.insert(QStringLiteral("label"), {security::labels::box() + QLatin1Char('=') + box});
    QPointer<DockerClient> guard(client);
    onFinished(client->listContainers(true, filters), client,
               [guard, async, box](const Result<QList<ContainerSummary>> &list) {
                   if (!guard)
                       return;
                   QString id = box;
                   if (list) {
                       for (const ContainerSummary &c : list.value()) {
                           const QString role = c.labels.value(security::labels::role());
                           if (role.isEmpty() || role == QLatin1String("container")) {
                               id = c.id;
                               break;
                           }
                       }
                   }
                   onFinished(guard->inspectContainer(id), guard.data(),
                              [async, box](const Result<ContainerInspect> &c) {
                                  if (!c) {
                                      if (c.error().kind() == Error::Kind::NotFound)
                                          async.finish(
                                              Error(Error::Kind::NotFound,
                                                    QStringLiteral("no such box: %1").arg(box)));
                                      else
                                          async.finish(c.error());
                                      return;
                                  }
                                  async.finish(fromInspect(c.value()));
                              });
               });
    return async.future();
}

VoidResult checkRunning(const ExecTarget &target)
{
    if (target.running)
        return {};
    return Error(Error::Kind::Conflict, QStringLiteral("box %1 is not running")
                                            .arg(target.box.isEmpty() ? target.name : target.box));
}

QFuture<Result<QString>> probeShell(DockerClient *client, const QString &container,
                                    const QString &user)
{
    AsyncResult<QString> async;
    ExecOptions o;
    o.cmd = {QStringLiteral("/bin/bash"), QStringLiteral("-c"), QStringLiteral("exit 0")};
    o.user = user;
    auto *probe = new ExecSession(client, container, o, client);
    QObject::connect(probe, &ExecSession::finished, client, [async, probe](const Result<int> &r) {
        probe->deleteLater();
        if (!r) {
            async.finish(r.error());
            return;
        }
        async.finish(r.value() == 0 ? QStringLiteral("/bin/bash") : QStringLiteral("/bin/sh"));
    });
    probe->start();
    return async.future();
}

} // namespace bc::docker
