// libFuzzer target for bc::infra::TraefikLabels. The input is split at NUL bytes into box
// id, subdomain, domain, network and middleware; whatever is accepted must produce exactly
// Host(`<subdomain>.<domain>`) with nothing inside the backticks but a lower-case DNS name,
// and label keys built only from [a-z0-9.-].
#include "core/infra/traefiklabels.h"

#include <QRegularExpression>

#include <cstdio>
#include <cstdlib>

using namespace bc::infra;

namespace {

[[noreturn]] void fail(const char *what, const QString &detail = QString())
{
    std::fprintf(stderr, "fuzz_traefiklabels: %s %s\n", what,
                 QString::fromLatin1(detail.toUtf8().toPercentEncoding(" /:.`()|=@-_"))
                     .toLocal8Bit()
                     .constData());
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<QByteArray> parts = input.split('\0');
    TraefikRoute route;
    route.boxId = QString::fromUtf8(parts.value(0));
    route.subdomain = QString::fromUtf8(parts.value(1));
    route.domain =
        parts.size() > 2 ? QString::fromUtf8(parts.at(2)) : QStringLiteral("boxes.example.com");
    route.network = parts.size() > 3 ? QString::fromUtf8(parts.at(3)) : QStringLiteral("box-net");
    if (parts.size() > 4)
        route.middlewares = {QString::fromUtf8(parts.at(4))};

    const auto name = TraefikLabels::routerName(route.boxId);
    if (name) {
        // "box-" and at most three characters for each of a box name's 63.
        static const QRegularExpression nameRe(QStringLiteral("\\Abox-[a-z0-9-]*[a-z0-9]\\z"));
        if (!nameRe.match(name.value()).hasMatch() ||
            name.value().size() > 4 + 3 * TraefikLabels::MaxEscapedIdLength)
            fail("bad router name:", name.value());
    }

    const auto labels = TraefikLabels::generate(route);
    if (!labels)
        return 0;
    if (!name)
        fail("labels for a box id without router name:", route.boxId);

    const QString ruleKey = QStringLiteral("traefik.http.routers.%1.rule").arg(name.value());
    const QString rule = labels.value().value(ruleKey);
    const QString expected = QStringLiteral("Host(`%1.%2`)").arg(route.subdomain, route.domain);
    if (rule != expected)
        fail("rule is not the plain Host rule:", rule);
    // Between the generated "Host(`" and "`)" only a DNS name.
    const QString host = rule.mid(6, rule.size() - 8);
    if (host.contains(u'`') || host.contains(QLatin1String("||")) ||
        host.contains(QLatin1String("&&")) || host.contains(u'(') || host.contains(u')') ||
        host.contains(u'!') || host.contains(u',') || host.size() > 253)
        fail("Host rule carries syntax:", rule);
    for (const QChar c : host) {
        if (c.isSpace() ||
            !((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'.'))
            fail("Host rule has a character outside [a-z0-9.-]:", rule);
    }
    static const QRegularExpression keyRe(QStringLiteral("\\Atraefik\\.[a-z0-9.-]+\\z"));
    for (auto it = labels.value().cbegin(); it != labels.value().cend(); ++it) {
        if (!keyRe.match(it.key()).hasMatch())
            fail("label key outside [a-z0-9.-]:", it.key());
        for (const QChar c : it.value()) {
            if (c.unicode() < 0x21 || c.unicode() > 0x7e)
                fail("label value with white space or non-ASCII:", it.value());
        }
    }
    return 0;
}
