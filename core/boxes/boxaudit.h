#pragma once

#include "core/result.h"
#include "core/security/postureaudit.h"

#include <QFuture>

namespace bc::boxes {

class DockerBackend;

// The posture audit's options for a box on a Docker backend, the same for the GUI and
// boxctl: AppArmor from the engine's /info, the proxy socket directory from the backend's
// deploy options, the names of the stored box secrets (to find one in a box's Env).
// Never fails: what cannot be read keeps its default (AppArmor assumed available, no
// secret names), so an audit still runs.
class BoxAudit
{
public:
    static QFuture<Result<security::AuditOptions>> options(DockerBackend *backend);
};

} // namespace bc::boxes
