#pragma once

#include "core/infra/egresspolicy.h"
#include "core/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace bc::infra {

// Which upstreams one box may use. The proxy serves a socket per (box, upstream) of its
// grants and nothing else.
struct EgressGrant
{
    QString box;           // a box name (DNS label)
    QStringList upstreams; // names of upstreams of the egress policy

    bool operator==(const EgressGrant &other) const = default;
};

// The grants directory: one file per box, named after the box, holding
//   {"box": "alice", "upstreams": ["anthropic"]}
// A deploy writes its box's file, a delete removes it, and `boxctl proxy-config --grants`
// turns the directory into the proxy's config. Files are replaced atomically, so the proxy
// side never reads half a grant; files whose name is not a box name (editor backups,
// temporary files) are ignored.
class EgressGrants
{
public:
    explicit EgressGrants(QString dir)
        : m_dir(std::move(dir))
    {}

    QString dir() const { return m_dir; }
    QString filePath(const QString &box) const;

    // Every valid grant, sorted by box. A file that does not parse is skipped and named in
    // warnings: one damaged file must not take egress away from every other box.
    Result<QList<EgressGrant>> readAll(QStringList *warnings = nullptr) const;
    // The box's grant; an empty optional when it has none.
    Result<std::optional<EgressGrant>> read(const QString &box) const;
    VoidResult write(const EgressGrant &grant) const;
    VoidResult remove(const QString &box) const; // fine when there is none

    static VoidResult check(const EgressGrant &grant);
    static Result<EgressGrant> fromJsonText(const QByteArray &text);
    static QByteArray toJsonText(const EgressGrant &grant);
    // "alice=anthropic,resend" (boxctl proxy-config --grant).
    static Result<EgressGrant> fromArgument(const QString &argument);
    // Drops upstreams the policy does not define (named in warnings) and boxes left with
    // none; the generators refuse grants for unknown upstreams.
    static QList<EgressGrant> restrictTo(const QList<EgressGrant> &grants,
                                         const EgressPolicy &policy,
                                         QStringList *warnings = nullptr);
    static bool isBoxName(const QString &name);
    // What both proxy generators accept: a valid policy, each grant valid, each box once,
    // and only upstreams the policy defines.
    static VoidResult checkAgainst(const QList<EgressGrant> &grants, const EgressPolicy &policy);

private:
    QString m_dir;
};

} // namespace bc::infra
