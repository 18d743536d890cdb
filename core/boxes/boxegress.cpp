#include "core/boxes/boxegress.h"

#include "core/infra/boxegressenvironment.h"
#include "core/infra/egressproxycontrol.h"
#include "core/security/egresslayout.h"
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
                                     const QString &proxySocketDir, const QString &box)
{
    if (!infra::EgressGrants::isBoxName(box))
        return invalid(u"box name %1 cannot name a socket directory"_s.arg(box.left(64)));
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
    switch (security::EgressLayout::checkRoot(proxySocketDir)) {
    case security::EgressLayout::RootProblem::None:
        break;
    case security::EgressLayout::RootProblem::NotAbsolute:
        return invalid(
            u"the proxy socket directory %1 is not an absolute path"_s.arg(proxySocketDir));
    case security::EgressLayout::RootProblem::Missing:
    case security::EgressLayout::RootProblem::NotDirectory:
        return invalid(u"the proxy socket directory %1 does not exist on this host (start the "
                       u"egress proxy first)"_s.arg(proxySocketDir));
    }

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
    const QString cleanRoot = QDir::cleanPath(proxySocketDir);
    out.socketDir = security::EgressLayout::boxSocketDir(cleanRoot, box);
    for (const infra::EgressUpstream &u : policy->upstreams())
        out.sockets << security::EgressLayout::boxSocketPath(cleanRoot, box, u.name);
    return out;
}

namespace {

VoidResult reload(const DeployOptions &options)
{
    if (options.egressReloadCommand.trimmed().isEmpty())
        return {};
    return infra::EgressProxyControl::runReloadCommand(options.egressReloadCommand);
}

} // namespace

Result<BoxEgress::GrantChange> BoxEgress::grant(const BoxEgress &egress, const QString &box,
                                                const DeployOptions &options)
{
    if (options.egressGrantsDir.isEmpty())
        return invalid(u"no egress grants directory is configured (setting egress/grantsDir or "
                       u"BOX_EGRESS_GRANTS_DIR); the proxy would not know the box"_s);
    const infra::EgressGrants grants(options.egressGrantsDir);
    infra::EgressGrant g{box, {}};
    for (const infra::EgressUpstream &u : egress.policy.upstreams())
        g.upstreams << u.name;
    auto previous = grants.read(box);
    if (!previous)
        return Error(Kind::Io, u"egress: "_s + previous.error().toString());
    GrantChange change{box, previous.value()};
    if (auto w = grants.write(g); !w)
        return Error(Kind::Io, u"egress: "_s + w.error().message());
    auto failed = [&](const Error &why) -> Error {
        const VoidResult back = revert(change, options);
        QString message = u"egress: "_s + why.message();
        if (!back)
            message +=
                u" (and restoring the previous grant failed: %1)"_s.arg(back.error().message());
        return Error(why.kind(), message);
    };
    if (auto r = reload(options); !r)
        return failed(r.error());
    if (auto r =
            infra::EgressProxyControl::waitForSockets(egress.sockets, options.egressSocketWaitMs);
        !r)
        return failed(r.error());
    return change;
}

VoidResult BoxEgress::revert(const GrantChange &change, const DeployOptions &options)
{
    const infra::EgressGrants grants(options.egressGrantsDir);
    const VoidResult restored =
        change.previous ? grants.write(*change.previous) : grants.remove(change.box);
    if (!restored)
        return restored;
    return reload(options);
}

VoidResult BoxEgress::revoke(const QString &box, const DeployOptions &options)
{
    if (options.egressGrantsDir.isEmpty())
        return {};
    const infra::EgressGrants grants(options.egressGrantsDir);
    if (!QFileInfo::exists(grants.filePath(box)))
        return {};
    if (auto r = grants.remove(box); !r)
        return r;
    return reload(options);
}

} // namespace bc::boxes
