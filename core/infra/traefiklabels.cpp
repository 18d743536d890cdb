#include "core/infra/traefiklabels.h"

#include "core/infra/egresspolicy.h"
#include "core/security/validators.h"

#include <QCryptographicHash>
#include <QRegularExpression>

namespace bc::infra {

namespace {

Error invalid(const QString &field, const QString &message)
{
    return Error(Error::Kind::Invalid, field + QStringLiteral(": ") + message);
}

bool matches(const QString &value, const QString &pattern)
{
    return QRegularExpression(QStringLiteral("\\A(?:") + pattern + QStringLiteral(")\\z"))
        .match(value)
        .hasMatch();
}

bool isLowerAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
}

// A name of [A-Za-z0-9._-] (every valid box name) written in [a-z0-9-] so that it can be
// read back: a-z and 0-9 stay, a '-' stays when a-z or 0-9 follows it; everything else is
// "--" and one character: an upper-case letter in lower case, '0' for '-', '1' for '.',
// '2' for '_'. A lone '-' is always followed by [a-z0-9], so "--" starts a code, and the
// result never ends in '-'. Empty when the name has another character.
QString escapeName(const QString &name)
{
    QString out;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name.at(i);
        if (isLowerAlnum(c)) {
            out += c;
        } else if (c >= u'A' && c <= u'Z') {
            out += QStringLiteral("--") + c.toLower();
        } else if (c == u'-') {
            out += i + 1 < name.size() && isLowerAlnum(name.at(i + 1)) ? QStringLiteral("-")
                                                                       : QStringLiteral("--0");
        } else if (c == u'.') {
            out += QStringLiteral("--1");
        } else if (c == u'_') {
            out += QStringLiteral("--2");
        } else {
            return {};
        }
    }
    return out;
}

} // namespace

Result<QString> TraefikLabels::routerName(const QString &boxId)
{
    if (boxId.isEmpty() || boxId.size() > 128)
        return invalid(QStringLiteral("box id"), QStringLiteral("must be 1-128 characters"));
    // Box names (and any id of their characters): one name each, read back unchanged, so
    // "alice", "Alice" and "box-alice" never share a router.
    if (boxId.size() <= MaxEscapedIdLength && isLowerAlnum(boxId.at(0).toLower())) {
        const QString escaped = escapeName(boxId);
        if (!escaped.isEmpty())
            return QString(QStringLiteral("box-") + escaped);
    }
    // Anything else (a full container id, text with other characters): a readable part and
    // a hash of the exact id after "---", which no escaped name contains where a code
    // could start, so these never meet the names above.
    const QString id = boxId.toLower();
    QString clean;
    for (const QChar c : id) {
        if (isLowerAlnum(c))
            clean += c;
        else if (!clean.isEmpty() && !clean.endsWith(u'-'))
            clean += u'-';
    }
    while (clean.endsWith(u'-'))
        clean.chop(1);
    // Full container ids are 64 hex digits; 12 identify a container as docker ps does.
    if (matches(clean, QStringLiteral("[0-9a-f]{64}")))
        clean.truncate(12);
    clean.truncate(40);
    while (clean.endsWith(u'-'))
        clean.chop(1);
    if (clean.isEmpty())
        return invalid(QStringLiteral("box id"), QStringLiteral("has no letters or digits"));
    const QByteArray digest =
        QCryptographicHash::hash(boxId.toUtf8(), QCryptographicHash::Sha256).toHex();
    return QString(QStringLiteral("box-") + clean + QStringLiteral("---") +
                   QString::fromLatin1(digest.left(8)));
}

Result<QMap<QString, QString>> TraefikLabels::generate(const TraefikRoute &route)
{
    auto name = routerName(route.boxId);
    if (!name)
        return name.error();
    // Our own check first: whatever the shared validator allows, nothing but one label can
    // reach the rule.
    if (!matches(route.subdomain, QStringLiteral("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")))
        return invalid(QStringLiteral("subdomain"),
                       QStringLiteral("must be one lower-case DNS label (a-z, 0-9, '-')"));
    if (auto v = bc::security::Validators::validateSubdomain(route.subdomain); !v)
        return invalid(QStringLiteral("subdomain"), v.error().message());
    if (!EgressPolicy::isDnsName(route.domain) || !route.domain.contains(u'.'))
        return invalid(QStringLiteral("domain"),
                       QStringLiteral("must be a lower-case DNS name with at least two labels"));
    if (route.subdomain.size() + 1 + route.domain.size() > 253)
        return invalid(QStringLiteral("domain"), QStringLiteral("host name longer than 253"));
    // Commas split entry point lists, dots and '@' change the label path.
    if (!matches(route.entrypoint, QStringLiteral("[a-z0-9][a-z0-9-]{0,62}")))
        return invalid(QStringLiteral("entrypoint"), QStringLiteral("must match [a-z0-9-]+"));
    if (!route.certResolver.isEmpty() &&
        !matches(route.certResolver, QStringLiteral("[A-Za-z0-9][A-Za-z0-9_-]{0,62}")))
        return invalid(QStringLiteral("cert resolver"),
                       QStringLiteral("must match [A-Za-z0-9_-]+"));
    if (route.servicePort < 1 || route.servicePort > 65535)
        return invalid(QStringLiteral("service port"), QStringLiteral("must be 1-65535"));
    if (!matches(route.network, QStringLiteral("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}")))
        return invalid(
            QStringLiteral("network"),
            QStringLiteral("must be a Docker network name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)"));
    if (route.priority < 1 || route.priority > 1000000)
        return invalid(QStringLiteral("priority"), QStringLiteral("must be 1-1000000"));
    for (const QString &m : route.middlewares) {
        if (!matches(m, QStringLiteral("[A-Za-z0-9][A-Za-z0-9_-]{0,62}(?:@[a-z]{1,32})?")))
            return invalid(QStringLiteral("middlewares"),
                           QStringLiteral("each must be name or name@provider ([A-Za-z0-9_-])"));
    }

    const QString r = QStringLiteral("traefik.http.routers.") + name.value();
    const QString s = QStringLiteral("traefik.http.services.") + name.value();
    QMap<QString, QString> labels;
    labels.insert(QStringLiteral("traefik.enable"), QStringLiteral("true"));
    labels.insert(QStringLiteral("traefik.docker.network"), route.network);
    labels.insert(r + QStringLiteral(".rule"),
                  QStringLiteral("Host(`%1.%2`)").arg(route.subdomain, route.domain));
    labels.insert(r + QStringLiteral(".entrypoints"), route.entrypoint);
    labels.insert(r + QStringLiteral(".tls"), QStringLiteral("true"));
    if (!route.certResolver.isEmpty())
        labels.insert(r + QStringLiteral(".tls.certresolver"), route.certResolver);
    labels.insert(r + QStringLiteral(".priority"), QString::number(route.priority));
    labels.insert(r + QStringLiteral(".service"), name.value());
    if (!route.middlewares.isEmpty())
        labels.insert(r + QStringLiteral(".middlewares"), route.middlewares.join(u','));
    labels.insert(s + QStringLiteral(".loadbalancer.server.port"),
                  QString::number(route.servicePort));
    return labels;
}

} // namespace bc::infra
