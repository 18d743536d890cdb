// libFuzzer target for bc::infra::EgressPolicy::fromJsonText. An accepted policy must
// round-trip through toJson(), and both generators must accept it and keep their promise:
// policy strings land verbatim in the configs, so none may add a line, a comment, a quote
// or a "${" expansion that the generator did not write itself.
#include "core/infra/egresspolicy.h"
#include "core/infra/envoyconfiggenerator.h"
#include "core/infra/haproxyconfiggenerator.h"

#include <QSet>

#include <cstdio>
#include <cstdlib>

using namespace bc::infra;

namespace {

[[noreturn]] void fail(const char *what, const QString &detail = QString())
{
    std::fprintf(stderr, "fuzz_egresspolicy: %s %s\n", what, qPrintable(detail));
    std::abort();
}

bool hasControl(const QString &line)
{
    for (const QChar c : line) {
        if (c.unicode() < 0x20 || c.unicode() >= 0x7f)
            return true;
    }
    return false;
}

void checkHaproxy(const QString &config, const EgressPolicy &policy)
{
    QSet<QString> envs;
    for (const EgressUpstream &u : policy.upstreams())
        envs.insert(u.credential.env);
    // Every generated line ends in '\n'; values may not contain '\r' or other controls.
    if (!config.endsWith(u'\n'))
        fail("haproxy: config does not end with a newline");
    const QStringList lines = config.split(u'\n');
    for (const QString &line : lines) {
        if (hasControl(line))
            fail("haproxy: control or non-ASCII character in line:", line);
        const bool unsafeAcl = line.startsWith(QLatin1String("    acl path_unsafe "));
        if (!unsafeAcl && line.contains(u'\\'))
            fail("haproxy: backslash outside the path_unsafe acl:", line);
        const bool comment = line.startsWith(u'#');
        if (!comment && line.contains(u'#'))
            fail("haproxy: '#' (comment start) inside a line:", line);
        if (line.count(u'"') % 2 != 0)
            fail("haproxy: unbalanced double quote:", line);
        if (!unsafeAcl && line.contains(u'\''))
            fail("haproxy: single quote outside the path_unsafe acl:", line);
        // '%' starts a log-format expression in set-header values.
        const bool logFormat =
            line ==
            QStringLiteral("    log-format \"%1\"").arg(HaproxyConfigGenerator::logFormat());
        if (!unsafeAcl && !logFormat && !line.startsWith(QLatin1String("    log ")) &&
            line.contains(u'%'))
            fail("haproxy: '%' outside the path_unsafe acl:", line);
        // "${" only as the generated credential reference ${ENV} of a policy upstream.
        qsizetype from = 0;
        while ((from = line.indexOf(QLatin1String("${"), from)) >= 0) {
            const qsizetype end = line.indexOf(u'}', from);
            if (end < 0)
                fail("haproxy: unterminated ${:", line);
            const QString name = line.mid(from + 2, end - from - 2);
            if (!envs.contains(name))
                fail("haproxy: ${} of an unknown variable:", line);
            if (!line.startsWith(QLatin1String("    http-request set-header ")))
                fail("haproxy: ${} outside a set-header line:", line);
            from = end + 1;
        }
        if (!unsafeAcl && line.contains(u'$') && !line.contains(QLatin1String("${")))
            fail("haproxy: stray '$':", line);
    }
    // One set-header with a secret per upstream, nothing more.
    if (config.count(QLatin1String("${")) != policy.upstreams().size())
        fail("haproxy: wrong number of ${} references");
}

void checkEnvoy(const QString &yaml, const nlohmann::json &tree, const EgressPolicy &policy,
                const EnvoyConfigGenerator &gen)
{
    if (yaml.contains(QLatin1String("${")))
        fail("envoy: ${ in the config (Envoy never expands it)");
    const QStringList lines = yaml.split(u'\n');
    for (const QString &line : lines) {
        if (hasControl(line))
            fail("envoy: control or non-ASCII character in line:", line);
        const bool comment = line.startsWith(u'#');
        // Outside comments, '#' may only appear inside a double-quoted scalar.
        if (!comment) {
            bool quoted = false;
            for (qsizetype i = 0; i < line.size(); ++i) {
                const QChar c = line.at(i);
                if (quoted && c == u'\\') {
                    ++i;
                    continue;
                }
                if (c == u'"')
                    quoted = !quoted;
                else if (!quoted &&
                         (c == u'#' || c == u'\'' || c == u'&' || c == u'*' || c == u'!' ||
                          c == u'|' || c == u'>' || c == u'%' || c == u'@' || c == u'`'))
                    fail("envoy: YAML indicator outside quotes:", line);
            }
            if (quoted)
                fail("envoy: unterminated quoted scalar:", line);
        }
    }
    // Secrets come only from the policy's variables.
    QSet<QString> envs;
    for (const EgressUpstream &u : policy.upstreams())
        envs.insert(gen.secretEnv(u));
    for (const auto &secret : tree["static_resources"]["secrets"]) {
        const QString env = QString::fromStdString(
            secret["generic_secret"]["secret"]["environment_variable"].get<std::string>());
        if (!envs.contains(env))
            fail("envoy: secret from an unknown variable:", env);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto parsed = EgressPolicy::fromJsonText(input);
    if (!parsed)
        return 0;
    const EgressPolicy &policy = parsed.value();

    const nlohmann::json j = policy.toJson();
    const auto again = EgressPolicy::fromJson(j);
    if (!again)
        fail("toJson() does not parse back:", again.error().message());
    if (again.value().toJson() != j)
        fail("round trip changed the policy");

    HaproxyConfigGenerator::Options ho;
    ho.dnsResolvers = (size % 2) != 0;
    ho.requireEnv = (size % 3) != 0;
    // One box granted every upstream: each upstream's frontend is in the config.
    EgressGrant grant{QStringLiteral("fuzz-box"), {}};
    for (const EgressUpstream &u : policy.upstreams())
        grant.upstreams << u.name;
    const QList<EgressGrant> grants{grant};
    const auto haproxy = HaproxyConfigGenerator(ho).generate(policy, grants);
    if (!haproxy)
        fail("haproxy generator refused an accepted policy:", haproxy.error().message());
    checkHaproxy(haproxy.value(), policy);

    for (bool prefix : {false, true}) {
        EnvoyConfigGenerator::Options eo;
        eo.useHeaderValuePrefix = prefix;
        const EnvoyConfigGenerator gen(eo);
        const auto tree = gen.generateJson(policy, grants);
        if (!tree)
            fail("envoy generator refused an accepted policy:", tree.error().message());
        const auto yaml = gen.generate(policy, grants);
        if (!yaml)
            fail("envoy generator refused an accepted policy:", yaml.error().message());
        checkEnvoy(yaml.value(), tree.value(), policy, gen);
    }
    return 0;
}
