#include "core/infra/egressgrants.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

#include <nlohmann/json.hpp>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace bc::infra {

namespace {

Error invalid(const QString &field, const QString &message)
{
    return Error(Error::Kind::Invalid, field + u": "_s + message);
}

bool isUpstreamName(const QString &name)
{
    static const QRegularExpression re(u"\\A[a-z][a-z0-9-]{0,31}\\z"_s);
    return re.match(name).hasMatch();
}

// Grant files are small; anything bigger is not one.
constexpr qint64 MaxGrantBytes = 64 * 1024;

} // namespace

bool EgressGrants::isBoxName(const QString &name)
{
    // The box-name rule of the spec (a DNS label), repeated here because grants are read by
    // the proxy side, which must not trust the directory's contents.
    static const QRegularExpression re(u"\\A[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\z"_s);
    return re.match(name).hasMatch();
}

VoidResult EgressGrants::check(const EgressGrant &grant)
{
    if (!isBoxName(grant.box))
        return invalid(u"grant.box"_s, u"must be a box name (a-z, 0-9, '-', at most 63)"_s);
    if (grant.upstreams.isEmpty())
        return invalid(u"grant.upstreams"_s, u"must list at least one upstream"_s);
    QStringList seen;
    for (const QString &u : grant.upstreams) {
        if (!isUpstreamName(u))
            return invalid(u"grant.upstreams"_s,
                           u"must be upstream names ([a-z][a-z0-9-]{0,31})"_s);
        if (seen.contains(u))
            return invalid(u"grant.upstreams"_s, u"lists %1 twice"_s.arg(u));
        seen << u;
    }
    return {};
}

Result<EgressGrant> EgressGrants::fromJsonText(const QByteArray &text)
{
    if (text.size() > MaxGrantBytes)
        return invalid(u"grant"_s, u"is too large"_s);
    const auto j = nlohmann::json::parse(text.constBegin(), text.constEnd(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return invalid(u"grant"_s, u"is not a JSON object"_s);
    EgressGrant g;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key() == "box") {
            if (!it->is_string())
                return invalid(u"grant.box"_s, u"must be a string"_s);
            g.box = QString::fromStdString(it->get<std::string>());
        } else if (it.key() == "upstreams") {
            if (!it->is_array())
                return invalid(u"grant.upstreams"_s, u"must be an array of strings"_s);
            for (const auto &u : *it) {
                if (!u.is_string())
                    return invalid(u"grant.upstreams"_s, u"must be an array of strings"_s);
                g.upstreams << QString::fromStdString(u.get<std::string>());
            }
        } else {
            return invalid(u"grant."_s + QString::fromStdString(it.key()).left(64),
                           u"unknown key"_s);
        }
    }
    if (auto c = check(g); !c)
        return c.error();
    return g;
}

QByteArray EgressGrants::toJsonText(const EgressGrant &grant)
{
    nlohmann::json ups = nlohmann::json::array();
    for (const QString &u : grant.upstreams)
        ups.push_back(u.toStdString());
    const nlohmann::json j{{"box", grant.box.toStdString()}, {"upstreams", ups}};
    return QByteArray::fromStdString(j.dump()) + '\n';
}

Result<EgressGrant> EgressGrants::fromArgument(const QString &argument)
{
    const qsizetype eq = argument.indexOf(u'=');
    if (eq <= 0)
        return invalid(u"--grant"_s, u"must be BOX=UPSTREAM[,UPSTREAM...]"_s);
    EgressGrant g;
    g.box = argument.left(eq);
    g.upstreams = argument.mid(eq + 1).split(u',', Qt::SkipEmptyParts);
    if (auto c = check(g); !c)
        return Error(Error::Kind::Invalid, u"--grant "_s + c.error().message());
    return g;
}

VoidResult EgressGrants::checkAgainst(const QList<EgressGrant> &grants, const EgressPolicy &policy)
{
    if (auto v = EgressPolicy::validate(policy.upstreams()); !v)
        return v.error();
    QStringList boxes;
    for (const EgressGrant &g : grants) {
        if (auto c = check(g); !c)
            return c.error();
        if (boxes.contains(g.box))
            return Error(Error::Kind::Invalid,
                         QStringLiteral("grants: box %1 is granted twice").arg(g.box));
        boxes << g.box;
        for (const QString &name : g.upstreams) {
            const bool known = std::any_of(policy.upstreams().cbegin(), policy.upstreams().cend(),
                                           [&](const EgressUpstream &u) { return u.name == name; });
            if (!known)
                return Error(Error::Kind::Invalid,
                             QStringLiteral("grants: %1 names upstream %2, which the policy does "
                                            "not define")
                                 .arg(g.box, name));
        }
    }
    return {};
}

QList<EgressGrant> EgressGrants::restrictTo(const QList<EgressGrant> &grants,
                                            const EgressPolicy &policy, QStringList *warnings)
{
    QStringList known;
    for (const EgressUpstream &u : policy.upstreams())
        known << u.name;
    QList<EgressGrant> out;
    for (const EgressGrant &g : grants) {
        EgressGrant kept{g.box, {}};
        for (const QString &u : g.upstreams) {
            if (known.contains(u))
                kept.upstreams << u;
            else if (warnings)
                *warnings << u"grant of %1: upstream %2 is not in the policy; ignored"_s.arg(g.box,
                                                                                             u);
        }
        if (!kept.upstreams.isEmpty())
            out << kept;
    }
    return out;
}

QString EgressGrants::filePath(const QString &box) const
{
    return QDir(m_dir).filePath(box);
}

Result<QList<EgressGrant>> EgressGrants::readAll(QStringList *warnings) const
{
    QDir dir(m_dir);
    if (m_dir.isEmpty() || !dir.exists())
        return Error(Error::Kind::Io, u"grants directory %1 does not exist"_s.arg(m_dir));
    QList<EgressGrant> out;
    const QStringList names = dir.entryList(QDir::Files | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &name : names) {
        if (!isBoxName(name))
            continue;
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly)) {
            if (warnings)
                *warnings << u"grant %1: cannot read: %2"_s.arg(name, f.errorString());
            continue;
        }
        auto g = fromJsonText(f.read(MaxGrantBytes + 1));
        if (!g) {
            if (warnings)
                *warnings << u"grant %1: %2; ignored"_s.arg(name, g.error().message());
            continue;
        }
        if (g->box != name) {
            if (warnings)
                *warnings << u"grant %1: names box %2; ignored"_s.arg(name, g->box);
            continue;
        }
        out << g.value();
    }
    return out;
}

Result<std::optional<EgressGrant>> EgressGrants::read(const QString &box) const
{
    if (!isBoxName(box))
        return invalid(u"box"_s, u"must be a box name"_s);
    QFile f(filePath(box));
    if (!f.exists())
        return std::optional<EgressGrant>();
    if (!f.open(QIODevice::ReadOnly))
        return Error(Error::Kind::Io,
                     u"cannot read grant %1: %2"_s.arg(f.fileName(), f.errorString()));
    auto g = fromJsonText(f.read(MaxGrantBytes + 1));
    if (!g)
        return g.error().withContext(f.fileName());
    return std::optional<EgressGrant>(g.value());
}

VoidResult EgressGrants::write(const EgressGrant &grant) const
{
    if (auto c = check(grant); !c)
        return c.error();
    if (m_dir.isEmpty() || !QFileInfo(m_dir).isDir())
        return Error(Error::Kind::Io, u"grants directory %1 does not exist"_s.arg(m_dir));
    QSaveFile f(filePath(grant.box));
    if (!f.open(QIODevice::WriteOnly))
        return Error(Error::Kind::Io,
                     u"cannot write grant %1: %2"_s.arg(f.fileName(), f.errorString()));
    f.write(toJsonText(grant));
    // Readable by the proxy's reload hook, which may run as another user; holds no secret.
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    if (!f.commit())
        return Error(Error::Kind::Io,
                     u"cannot write grant %1: %2"_s.arg(f.fileName(), f.errorString()));
    return {};
}

VoidResult EgressGrants::remove(const QString &box) const
{
    if (!isBoxName(box))
        return invalid(u"box"_s, u"must be a box name"_s);
    QFile f(filePath(box));
    if (f.exists() && !f.remove())
        return Error(Error::Kind::Io,
                     u"cannot remove grant %1: %2"_s.arg(f.fileName(), f.errorString()));
    return {};
}

} // namespace bc::infra
