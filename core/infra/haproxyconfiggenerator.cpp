#include "core/infra/haproxyconfiggenerator.h"

#include "core/security/egresslayout.h"

#include <QRegularExpression>

#include <algorithm>

namespace bc::infra {

namespace {

bool isSafeFilePath(const QString &path)
{
    static const QRegularExpression re(QStringLiteral("\\A/[A-Za-z0-9._/-]*\\z"));
    return re.match(path).hasMatch() && !path.contains(QLatin1String(".."));
}

QString aclName(const QString &upstream, qsizetype route, const char *what)
{
    QString name = upstream;
    name.replace(u'-', u'_');
    return QStringLiteral("%1_r%2_%3").arg(name, QString::number(route), QLatin1String(what));
}

QString frontendFor(const QString &box, const EgressUpstream &u, const QString &socket,
                    const QString &group)
{
    QString fe = u.name;
    fe.replace(u'-', u'_');
    QString out;
    out += QStringLiteral("\nfrontend %1\n").arg(HaproxyConfigGenerator::frontendName(box, u.name));
    // 0660 and the egress group: the box user gets the group as a supplementary group,
    // other local users cannot connect. The box's directory is mounted read-only, which does
    // not stop connect() but stops replacing the socket.
    out += QStringLiteral("    bind unix@%1 mode 660%2\n").arg(socket, group);
    out += QStringLiteral("    http-request del-header x-api-key\n"
                          "    http-request del-header authorization\n"
                          "    http-request del-header proxy-authorization\n");
    if (u.credential.header.compare(QLatin1String("x-api-key"), Qt::CaseInsensitive) != 0 &&
        u.credential.header.compare(QLatin1String("authorization"), Qt::CaseInsensitive) != 0)
        out += QStringLiteral("    http-request del-header %1\n").arg(u.credential.header);
    // Encoded characters, dot segments, backslashes (some servers read them as '/') and
    // ';' path parameters ("/allowed/..;/other") could turn an allowed prefix into another
    // path after the upstream normalises it.
    out += QStringLiteral("    acl path_unsafe path_reg -i "
                          "'(%2e|%2f|%5c|%3b|%00|;|\\\\|//|/[.][.]?(/|$))'\n"
                          "    http-request deny deny_status 403 if path_unsafe\n");
    QStringList allowed;
    for (qsizetype r = 0; r < u.routes.size(); ++r) {
        const EgressRoute &route = u.routes[r];
        const QString m = aclName(u.name, r, "method");
        out += QStringLiteral("    acl %1 method %2\n").arg(m, route.methods.join(u' '));
        if (!route.paths.isEmpty()) {
            const QString p = aclName(u.name, r, "path");
            out += QStringLiteral("    acl %1 path %2\n").arg(p, route.paths.join(u' '));
            allowed.append(m + u' ' + p);
        }
        if (!route.pathPrefixes.isEmpty()) {
            const QString p = aclName(u.name, r, "prefix");
            out += QStringLiteral("    acl %1 path_beg %2\n").arg(p, route.pathPrefixes.join(u' '));
            allowed.append(m + u' ' + p);
        }
    }
    out += QStringLiteral("    http-request deny deny_status 403 unless %1\n")
               .arg(allowed.join(QStringLiteral(" or ")));
    out += QStringLiteral("    default_backend upstream_%1\n").arg(fe);
    return out;
}

} // namespace

QString HaproxyConfigGenerator::socketPath(const QString &box, const EgressUpstream &upstream) const
{
    return security::EgressLayout::boxSocketPath(m_options.socketDir, box, upstream.name);
}

QString HaproxyConfigGenerator::healthSocketPath() const
{
    // A dot name: never a box directory.
    return security::EgressLayout::boxSocketDir(m_options.socketDir, QStringLiteral(".proxy.sock"));
}

QString HaproxyConfigGenerator::frontendName(const QString &box, const QString &upstream)
{
    return QStringLiteral("egress.%1.%2").arg(box, upstream);
}

QString HaproxyConfigGenerator::logFormat()
{
    return QStringLiteral("box-egress %Ts.%ms frontend=%f method=%HM status=%ST "
                          "verdict=%[var(txn.verdict)] path=%HP");
}

Result<QString> HaproxyConfigGenerator::generate(const EgressPolicy &policy,
                                                 const QList<EgressGrant> &grants) const
{
    if (auto c = EgressGrants::checkAgainst(grants, policy); !c)
        return c.error();
    if (m_options.socketGroup < -1 || m_options.socketGroup > 2147483647)
        return Error(Error::Kind::Invalid, QStringLiteral("socket group: must be a gid"));
    if (!isSafeFilePath(m_options.socketDir))
        return Error(Error::Kind::Invalid,
                     QStringLiteral("socket dir: must be an absolute path of A-Z a-z 0-9 . _ - /"));
    if (m_options.caFile != QLatin1String("@system-ca") && !isSafeFilePath(m_options.caFile))
        return Error(Error::Kind::Invalid,
                     QStringLiteral("ca file: must be @system-ca or an absolute path of "
                                    "A-Z a-z 0-9 . _ - /"));
    if (m_options.streamTimeoutSeconds < 1)
        return Error(Error::Kind::Invalid, QStringLiteral("stream timeout: must be positive"));

    QString out;
    out += QStringLiteral("# Generated by box-console from an egress policy: do not edit.\n"
                          "# Secrets come from the environment of the haproxy process\n"
                          "# (systemd EnvironmentFile, mode 0600); this file holds none.\n");
    if (m_options.requireEnv) {
        QStringList seen;
        for (const EgressUpstream &u : policy.upstreams()) {
            if (seen.contains(u.credential.env))
                continue;
            seen.append(u.credential.env);
            out += QStringLiteral(".if !defined(%1)\n    .alert \"%1 is not set in the "
                                  "environment of haproxy\"\n.endif\n")
                       .arg(u.credential.env);
        }
    }
    out += QStringLiteral("\nglobal\n"
                          "    log %1\n"
                          "    ssl-server-verify required\n"
                          "\n"
                          "defaults\n"
                          "    mode http\n"
                          "    log global\n"
                          // Connections that send nothing (the deploy's readiness probe) are
                          // not requests of the box.
                          "    option dontlognull\n"
                          "    timeout connect 10s\n"
                          "    timeout http-request 30s\n"
                          "    timeout http-keep-alive 10s\n"
                          "    timeout client %2s\n"
                          "    timeout server %2s\n"
                          "    timeout tunnel %2s\n"
                          // No header is logged, so neither the injected key nor the box's
                          // placeholder reaches the log.
                          "    log-format \"%3\"\n")
               .arg(m_options.log)
               .arg(m_options.streamTimeoutSeconds)
               .arg(logFormat());
    if (m_options.dnsResolvers)
        out += QStringLiteral("\nresolvers sys\n"
                              "    parse-resolv-conf\n"
                              "    hold valid 60s\n"
                              "    hold nx 30s\n");

    // Answers only root (mode 600): a liveness probe, and a listener so that HAProxy
    // starts while no box is granted anything.
    out += QStringLiteral("\nfrontend egress_health\n"
                          "    bind unix@%1 mode 600\n"
                          "    http-request return status 200 content-type text/plain "
                          "string ok\n")
               .arg(healthSocketPath());

    const QString group = m_options.socketGroup >= 0
                              ? QStringLiteral(" gid %1").arg(m_options.socketGroup)
                              : QString();
    for (const EgressGrant &g : grants) {
        for (const EgressUpstream &u : policy.upstreams()) {
            if (!g.upstreams.contains(u.name))
                continue;
            out += frontendFor(g.box, u, socketPath(g.box, u), group);
        }
    }

    for (const EgressUpstream &u : policy.upstreams()) {
        QString fe = u.name;
        fe.replace(u'-', u'_');
        out += QStringLiteral("\nbackend upstream_%1\n").arg(fe);
        // Only requests that passed their frontend's allowlist get here.
        out += QStringLiteral("    http-request set-var(txn.verdict) str(allowed)\n");
        out += QStringLiteral("    http-request set-header Host %1\n").arg(u.host);
        // "${VAR}" is expanded by HAProxy when it parses the file, only inside double quotes.
        out += QStringLiteral("    http-request set-header %1 \"%2${%3}\"\n")
                   .arg(u.credential.header, u.credential.prefix, u.credential.env);
        out += QStringLiteral("    server %1 %2:%3 ssl verify required ca-file %4 sni str(%2) "
                              "verifyhost %2%5\n")
                   .arg(QStringLiteral("upstream"), u.host)
                   .arg(u.port)
                   .arg(m_options.caFile,
                        m_options.dnsResolvers
                            ? QStringLiteral(" resolvers sys init-addr last,libc,none")
                            : QString());
    }
    return out;
}

} // namespace bc::infra
