// libFuzzer target for bc::security::BoxSpec::fromJsonText. Besides crashes it checks what
// the spec promises once accepted: toJson() parses back to the same spec (same JSON, same
// hash), and every string that reaches a name, label or environment passes the validators
// again on its own (so no accepted spec carries a value a later consumer would refuse).
#include "core/security/boxspec.h"
#include "core/security/validators.h"

#include <cstdio>
#include <cstdlib>

using bc::security::BoxSpec;
using bc::security::Validators;

namespace {

[[noreturn]] void fail(const char *what, const QString &detail = QString())
{
    std::fprintf(stderr, "fuzz_boxspec: %s %s\n", what, qPrintable(detail));
    std::abort();
}

void check(const char *what, const bc::VoidResult &r)
{
    if (!r)
        fail(what, r.error().message());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto parsed = BoxSpec::fromJsonText(input);
    if (!parsed)
        return 0;
    const BoxSpec &spec = parsed.value();

    const nlohmann::json j = spec.toJson();
    const std::string text = j.dump();
    const auto again = BoxSpec::fromJsonText(QByteArray::fromStdString(text));
    if (!again)
        fail("toJson() does not parse back:", again.error().message());
    if (again.value().toJson() != j)
        fail("round trip changed the spec:", QString::fromStdString(text));
    if (again.value().hash() != spec.hash())
        fail("round trip changed the hash:", QString::fromStdString(text));
    if (again.value().keepDataOnDelete != spec.keepDataOnDelete)
        fail("round trip changed keepDataOnDelete");

    check("name", Validators::validateBoxName(spec.name));
    if (!spec.subdomain.isEmpty())
        check("subdomain", Validators::validateSubdomain(spec.subdomain));
    if (!spec.owner.isEmpty())
        check("owner", Validators::validateOwner(spec.owner));
    if (spec.skills.isEmpty())
        check("image", Validators::validateImageReference(spec.image));
    for (const QString &s : spec.skills)
        check("skill", Validators::validateSkillPath(s));
    for (auto it = spec.env.cbegin(); it != spec.env.cend(); ++it) {
        check("env key", Validators::validateEnvKey(it.key()));
        check("env value", Validators::validateEnvValue(it.value()));
        if (Validators::isProviderCredentialName(it.key()))
            fail("provider credential in env:", it.key());
    }
    for (const QString &s : spec.secrets)
        check("secret", Validators::validateSecretName(s));
    if (!spec.egress.isEmpty())
        check("egress", Validators::validatePolicyName(spec.egress));
    // The name and owner become label values; the name also a DNS alias.
    check("name as label", Validators::validateLabelValue(spec.name));
    if (!spec.owner.isEmpty())
        check("owner as label", Validators::validateLabelValue(spec.owner));
    if (spec.healthcheck) {
        for (qsizetype i = 1; i < spec.healthcheck->test.size(); ++i) {
            if (Validators::hasUnsafeCharacters(spec.healthcheck->test.at(i)))
                fail("unsafe healthcheck argument");
        }
    }
    if (spec.isolation == BoxSpec::Isolation::Routed && spec.subdomain.isEmpty())
        fail("routed box without subdomain");
    if (spec.image.isEmpty() == spec.skills.isEmpty())
        fail("need exactly one of image and skills");
    return 0;
}
