#pragma once

#include "core/infra/egressgrants.h"
#include "core/result.h"

#include <QStringList>

namespace bc::infra {

// The per-box socket directories below the proxy's socket root, kept in step with the
// grants by the proxy's start and reload hook (`boxctl proxy-config --prepare-dirs`, run by
// the proxy's service manager, as root in production, before HAProxy or Envoy binds):
//  - <root> and each granted box's <root>/<box> exist, mode 0750, group `gid` (when >= 0),
//    so the box user (who has the group as a supplementary group) can reach its sockets
//    and no other local user can;
//  - an existing box directory is never replaced: it is bind-mounted into the box, and a
//    new directory would leave the box looking at the old, empty one;
//  - directories of boxes without a grant, and sockets of upstreams a box no longer has,
//    are removed.
// Every change is described in `actions`. A box whose directory cannot be made right (not
// a directory, owned by someone else) is named in `failedBoxes` and its config left out;
// only a bad root fails the whole call.
class EgressSocketDirs
{
public:
    static VoidResult prepare(const QString &root, const QList<EgressGrant> &grants, int gid,
                              QStringList *actions = nullptr, QStringList *failedBoxes = nullptr);
};

} // namespace bc::infra
