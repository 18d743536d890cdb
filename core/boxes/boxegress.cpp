#include "core/boxes/boxegress.h"

#include "core/infra/boxegressenvironment.h"
#include "core/security/hardeningprofile.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::Literals::StringLiterals;

namespace bc::boxes {

using Kind = Error::Kind;

namespace {
Error invalid(const QString &why)
{
    return Error(Kind::Invalid, u"egress: "_s + why);
}
} // namespace

Result<BoxEgress> BoxEgress::resolve(const QString &egress, const QString &policyFile,
                                     const QString &proxySocketDir)
{
    if (policyFile.isEmpty())
        return invalid(
            u"the box asks for egress policy %1 but no egress policy file is "
            u"configured (setting egress/policyFile or BOX_EGRESS_POLICY)"_s.arg(egress));
    const auto loaded = infra::EgressPolicy::fromFile(policyFile);
    if (!loaded)
        return invalid(u"cannot use the policy file %1: %2"_s.arg(
            policyFile, loaded.error().context().isEmpty()
                            ? loaded.error().message()
                            : loaded.error().context() + u": "_s + loaded.error().message()));

    QList<infra::EgressUpstream> picked;
    QStringList known;
    for (const infra::EgressUpstream &u : loaded->upstreams()) {
        known << u.name;
        if (egress == QLatin1String(AllUpstreams) || egress == u.name)
            picked << u;
    }
    if (picked.isEmpty())
        return invalid(u"unknown egress policy %1 (known: %2, or \"all\")"_s.arg(
            egress, known.isEmpty() ? u"none"_s : known.join(u", "_s)));

    const nlohmann::json all = loaded->toJson();
    nlohmann::json j = all;
    j["upstreams"] = nlohmann::json::array();
    for (const nlohmann::json &u : all["upstreams"])
        for (const infra::EgressUpstream &p : std::as_const(picked))
            if (u.value("name", std::string()) == p.name.toStdString())
                j["upstreams"].push_back(u);
    auto policy = infra::EgressPolicy::fromJson(j);
    if (!policy)
        return invalid(policy.error().message());

    if (proxySocketDir.isEmpty())
        return invalid(u"no proxy socket directory is configured (setting "
                       u"egress/proxySocketDir or BOX_EGRESS_SOCKET_DIR)"_s);
    const QFileInfo dir(proxySocketDir);
    // A bind mount of a missing path would make dockerd create it, owned by root.
    if (!dir.isAbsolute() || !dir.isDir())
        return invalid(u"the proxy socket directory %1 does not exist on this host (start the "
                       u"egress proxy first)"_s.arg(proxySocketDir));

    const auto env = infra::BoxEgressEnvironment().environment(policy.value());
    if (!env)
        return invalid(env.error().message());
    BoxEgress out;
    out.policy = policy.value();
    out.env = env.value();
    QStringList forwarders;
    for (const infra::EgressUpstream &u : policy->upstreams())
        forwarders << u"%1:%2"_s.arg(u.localPort).arg(u.name);
    out.env.insert(u"BOX_EGRESS_DIR"_s,
                   QString::fromLatin1(security::HardeningProfile::ProxySocketTarget));
    out.env.insert(u"BOX_EGRESS_FORWARDERS"_s, forwarders.join(u' '));
    out.socketDir = QDir::cleanPath(dir.absoluteFilePath());
    return out;
}

} // namespace bc::boxes
