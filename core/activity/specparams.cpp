#include "core/activity/specparams.h"

#include "core/security/boxspec.h"

namespace bc::activity {

using util::json::Json;
using util::json::utf8;

Json specParams(const security::BoxSpec &spec)
{
    Json p = Json::object();
    p["specHash"] = utf8(spec.hash());
    if (!spec.image.isEmpty())
        p["image"] = utf8(spec.image);
    if (!spec.skills.isEmpty())
        p["skills"] = util::json::array(spec.skills);
    if (!spec.owner.isEmpty())
        p["owner"] = utf8(spec.owner);
    if (!spec.subdomain.isEmpty())
        p["subdomain"] = utf8(spec.subdomain);
    p["cpus"] = util::json::number(spec.cpus);
    p["memoryBytes"] = spec.memoryBytes;
    p["pids"] = spec.pids;
    p["isolation"] = spec.isolation == security::BoxSpec::Isolation::Routed ? "routed" : "isolated";
    if (!spec.egress.isEmpty())
        p["egress"] = utf8(spec.egress);
    if (spec.keepDataOnDelete)
        p["keepDataOnDelete"] = true;
    if (!spec.env.isEmpty())
        p["envKeys"] = util::json::array(spec.env.keys());
    if (!spec.secrets.isEmpty()) {
        QStringList names = spec.secrets;
        names.sort();
        p["secrets"] = util::json::array(names);
    }
    return p;
}

} // namespace bc::activity
