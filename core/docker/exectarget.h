#pragma once

#include "core/docker/execoptions.h"
#include "core/result.h"

#include <QFuture>
#include <QString>

namespace bc::docker {

class DockerClient;

// The container an exec goes into, and what its profile allows.
struct ExecTarget
{
    QString containerId;
    QString name; // container name
    QString box;  // box name (label), empty for a plain container
    bool running = false;
    QString boxUser; // Config.User: the user the box runs as ("1000:1000")
    bool rootAllowed = false;
};

// Who may be asked for in an exec. A box is entered as its own user; root only when the
// caller names it AND the container carries rootLabel()=allow, a label the deploy sets from
// the box's profile (the hardening profile never does, so deployed boxes refuse root until
// an admin deploys one that allows it). Anything the engine maps to uid 0 counts as root.
namespace execpolicy {
QString rootLabel(); // "box-console.exec-root"
bool isRoot(const QString &user);
// The user to run as: `requested`, or the box's user when empty (1000:1000 if the image
// names none). PermissionDenied-like Invalid error for root the profile does not allow.
Result<QString> chooseUser(const ExecTarget &target, const QString &requested);
} // namespace execpolicy

// Finds a box's container: the container labelled box-console.box=NAME (its main one), or
// else a container of that name or id. NotFound names the box.
QFuture<Result<ExecTarget>> resolveExecTarget(DockerClient *client, const QString &box);

// Checks a target before an exec: Conflict "box X is not running" when it is not.
VoidResult checkRunning(const ExecTarget &target);

// The login shell for a terminal: /bin/bash when the box has it, else /bin/sh (probed with
// a short exec as `user`).
QFuture<Result<QString>> probeShell(DockerClient *client, const QString &container,
                                    const QString &user);

} // namespace bc::docker
