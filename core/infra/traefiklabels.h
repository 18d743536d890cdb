#pragma once

#include "core/result.h"

#include <QMap>
#include <QString>
#include <QStringList>

namespace bc::infra {

// What Traefik needs to route https://<subdomain>.<domain> to one box.
struct TraefikRoute
{
    QString boxId;     // internal id or validated box name; never shown verbatim
    QString subdomain; // one lower-case DNS label
    QString domain;    // e.g. boxes.example.com
    QString entrypoint = QStringLiteral("websecure");
    QString certResolver = QStringLiteral("le"); // empty: tls=true with the default cert
    int servicePort = 8080;
    QString network;         // the box's internal network that Traefik joins
    int priority = 100;      // equal for all boxes: a longer (injected) rule must not win
    QStringList middlewares; // e.g. box-auth@file
};

// Docker labels for Traefik v3's docker provider. Every value that ends up in a rule or
// label key is validated and rejected when it does not fit, never escaped: a subdomain
// like x`) || HostRegexp(`.+ would otherwise capture every box's traffic.
class TraefikLabels
{
public:
    static Result<QMap<QString, QString>> generate(const TraefikRoute &route);
    // The router and service name for a box id, [a-z0-9-] only and distinct for distinct
    // ids: "box-" and the id escaped reversibly when it has at most MaxEscapedIdLength
    // characters of [A-Za-z0-9._-] and starts with a letter or digit (every valid box
    // name), else "box-", a readable part, "---" and a hash of the exact id.
    static Result<QString> routerName(const QString &boxId);
    static constexpr int MaxEscapedIdLength = 63;
};

} // namespace bc::infra
