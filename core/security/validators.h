#pragma once

#include "core/result.h"

#include <QSet>
#include <QString>
#include <QStringList>

namespace bc::security {

// Input validation for everything a user can type that ends up in a container name, a
// volume or network name, a DNS name, a Traefik rule, a label, a Dockerfile or a shell
// line. Policy: reject, never escape. Each function returns an Error::Kind::Invalid whose
// message says what is wrong without the field name (callers prefix it, e.g. "env.FOO: …")
// and never echoes a value that might be a secret (environment values).
class Validators
{
public:
    enum class PackageManager { Apt, Npm, Pip };

    // Docker's own limit is longer, but a box name becomes "<name>-config" volume names, a
    // network name and a DNS alias: 63 keeps every derived name a valid DNS label length.
    static constexpr int MaxNameLength = 63;
    static constexpr int MaxSubdomainLength = 63;
    static constexpr int MaxFqdnLength = 253;
    static constexpr int MaxOwnerLength = 254; // RFC 5321 path limit
    static constexpr int MaxEnvKeyLength = 255;
    static constexpr int MaxEnvValueLength = 32 * 1024;
    static constexpr int MaxLabelKeyLength = 255;
    static constexpr int MaxLabelValueLength = 4096;
    static constexpr int MaxImageReferenceLength = 512;
    static constexpr int MaxPathLength = 1024;

    // Container, box and volume names: ^[a-zA-Z0-9][a-zA-Z0-9_.-]+$, at most 63 characters.
    static VoidResult validateBoxName(const QString &name);
    static VoidResult validateContainerName(const QString &name) { return validateBoxName(name); }

    // One lower-case RFC 1123 label, no "--" (blocks xn-- punycode look-alikes), not
    // reserved, not in `taken` (compared case-insensitively).
    static VoidResult validateSubdomain(const QString &subdomain, const QSet<QString> &taken = {});
    // Names that would shadow infrastructure or confuse users (www, api, traefik, …).
    static const QStringList &reservedSubdomains();
    // A lower-case DNS name of RFC 1123 labels (the base domain boxes live under, e.g.
    // "boxes.example.com"), at most 253 characters; no wildcards, no trailing dot.
    static VoidResult validateDomain(const QString &domain);
    static bool isReservedSubdomain(const QString &subdomain);

    static VoidResult validateEnvKey(const QString &key);
    static VoidResult validateEnvValue(const QString &value);
    // Provider credentials are injected by the egress proxy and never reach a box, neither
    // in its environment nor as a secret.
    static bool isProviderCredentialName(const QString &key);
    // Variables a box spec may not set: BOX_* (the box image's own switches, set by the
    // deploy pipeline), what the image's entrypoint and code-server read for their own
    // protection (PASSWORD, PATH, LD_PRELOAD, ...), and what the egress policy sets
    // (proxies, *_BASE_URL). Compared case-insensitively. Empty when not reserved, else
    // the rule, e.g. "reserved: BOX_* variables are set by box-console, never by a spec".
    static QString reservedEnvRule(const QString &key);
    static bool isReservedEnvKey(const QString &key) { return !reservedEnvRule(key).isEmpty(); }
    // A key a box spec's "env" may set: a valid name, no provider credential, not reserved.
    static VoidResult validateSpecEnvKey(const QString &key);

    // An e-mail address or a user name; it becomes a label value.
    static VoidResult validateOwner(const QString &owner);

    static VoidResult validateLabelKey(const QString &key);
    static VoidResult validateLabelValue(const QString &value);

    // "name" or "name=version" (apt), "name" / "@scope/name" with optional "@version"
    // (npm), "name" with optional "==version" (pip). Extras, URLs, paths, options and
    // ranges with shell metacharacters are refused.
    static VoidResult validatePackage(PackageManager manager, const QString &spec);
    static VoidResult validateAptPackage(const QString &spec);
    static VoidResult validateNpmPackage(const QString &spec);
    static VoidResult validatePipPackage(const QString &spec);

    // Docker reference grammar: [registry[:port]/]path[:tag][@sha256:<64 hex>].
    static VoidResult validateImageReference(const QString &reference);

    // A skill directory: relative path of plain components (no "..", no hidden or option-
    // like names), or an absolute path that stays inside `skillsRoot` once cleaned.
    // Lexical only: symlinks are resolved by whoever reads the directory.
    static VoidResult validateSkillPath(const QString &path, const QString &skillsRoot = {});

    // Secret names (keys in the secret store) and egress policy names.
    static VoidResult validateSecretName(const QString &name);
    // A box secret (spec "secrets"): a secret name that is also an environment variable
    // name (the box gets NAME_FILE=/run/secrets/NAME), not a provider credential, and
    // neither NAME nor NAME_FILE reserved.
    static VoidResult validateBoxSecretName(const QString &name);
    static VoidResult validatePolicyName(const QString &name);

    // Rejects C0/C1 controls, DEL, U+2028/U+2029, format characters (bidi overrides,
    // zero-width) and unpaired surrogates.
    static bool hasUnsafeCharacters(const QString &text);
    // A short, printable rendering of untrusted text for error messages.
    static QString printable(const QString &text, int maxLength = 40);
};

} // namespace bc::security
