#include "core/security/validators.h"

#include <QDir>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace bc::security {

namespace {

Error invalid(const QString &message)
{
    return Error(Error::Kind::Invalid, message);
}

// anchoredPattern: a bare "^…$" would also accept a trailing newline ("$" matches before
// it in PCRE), which is exactly the injection the validators exist to stop.
QRegularExpression anchored(const QString &pattern, QRegularExpression::PatternOptions options = {})
{
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern), options);
}

bool matches(const QRegularExpression &re, const QString &text)
{
    return re.match(text).hasMatch();
}

bool isAscii(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() > 0x7f)
            return false;
    }
    return true;
}

VoidResult checkLength(const QString &what, const QString &text, int max)
{
    if (text.isEmpty())
        return invalid(u"%1 must not be empty"_s.arg(what));
    if (text.size() > max)
        return invalid(
            u"%1 is too long (%2 characters, at most %3)"_s.arg(what).arg(text.size()).arg(max));
    return {};
}

} // namespace

bool Validators::hasUnsafeCharacters(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        char32_t code = c.unicode();
        if (c.isHighSurrogate()) {
            if (i + 1 >= text.size() || !text.at(i + 1).isLowSurrogate())
                return true;
            code = QChar::surrogateToUcs4(c, text.at(i + 1));
            ++i;
        } else if (c.isLowSurrogate()) {
            return true;
        }
        if (code < 0x20 || code == 0x7f || (code >= 0x80 && code <= 0x9f))
            return true;
        if (code == 0x2028 || code == 0x2029 || code == 0xfffe || code == 0xffff)
            return true;
        if (QChar::category(code) == QChar::Other_Format)
            return true;
    }
    return false;
}

QString Validators::printable(const QString &text, int maxLength)
{
    QString out;
    for (qsizetype i = 0; i < text.size() && out.size() < maxLength; ++i) {
        const ushort u = text.at(i).unicode();
        // Besides controls, escape what would matter to a shell, a rich-text label or a rule.
        static const QString special = u"'\\\"`<>&$"_s;
        if (u >= 0x20 && u < 0x7f && !special.contains(text.at(i)))
            out += text.at(i);
        else
            out += u"\\u%1"_s.arg(u, 4, 16, QLatin1Char('0'));
    }
    if (out.size() >= maxLength && text.size() > maxLength)
        out += u"..."_s;
    return u"'"_s + out + u"'"_s;
}

VoidResult Validators::validateBoxName(const QString &name)
{
    static const QRegularExpression re = anchored(u"[a-zA-Z0-9][a-zA-Z0-9_.-]+"_s);
    if (auto r = checkLength(u"name"_s, name, MaxNameLength); !r)
        return r;
    if (!matches(re, name))
        return invalid(u"invalid name %1: use 2-63 characters a-z, A-Z, 0-9, '_', '.', '-', "
                       u"starting with a letter or digit"_s.arg(printable(name)));
    return {};
}

const QStringList &Validators::reservedSubdomains()
{
    // Infrastructure and well-known service names: a box called "traefik" or "api" would
    // shadow the dashboard or API host, "mail"/"autodiscover"/"wpad" are probed by clients,
    // and "www"/"admin"/"login" invite phishing of other users.
    static const QStringList list = {
        u"www"_s,        u"api"_s,        u"admin"_s,        u"traefik"_s,  u"mail"_s,
        u"auth"_s,       u"static"_s,     u"proxy"_s,        u"coolify"_s,  u"localhost"_s,
        u"dashboard"_s,  u"console"_s,    u"box-console"_s,  u"boxctl"_s,   u"egress"_s,
        u"ftp"_s,        u"smtp"_s,       u"imap"_s,         u"pop"_s,      u"pop3"_s,
        u"mx"_s,         u"ns"_s,         u"ns1"_s,          u"ns2"_s,      u"dns"_s,
        u"webmail"_s,    u"autoconfig"_s, u"autodiscover"_s, u"wpad"_s,     u"status"_s,
        u"login"_s,      u"sso"_s,        u"oauth"_s,        u"registry"_s, u"docker"_s,
        u"git"_s,        u"cdn"_s,        u"assets"_s,       u"support"_s,  u"help"_s,
        u"root"_s,       u"system"_s,     u"default"_s,      u"internal"_s, u"metrics"_s,
        u"monitoring"_s, u"grafana"_s,    u"prometheus"_s,   u"acme"_s,     u"cpanel"_s,
    };
    return list;
}

bool Validators::isReservedSubdomain(const QString &subdomain)
{
    return reservedSubdomains().contains(subdomain.toLower());
}

VoidResult Validators::validateSubdomain(const QString &subdomain, const QSet<QString> &taken)
{
    static const QRegularExpression re = anchored(u"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"_s);
    if (auto r = checkLength(u"subdomain"_s, subdomain, MaxSubdomainLength); !r)
        return r;
    if (!matches(re, subdomain))
        return invalid(u"must be one lower-case DNS label (a-z, 0-9, '-'; no dots, no leading "
                       u"or trailing '-'), got %1"_s.arg(printable(subdomain)));
    if (subdomain.contains(u"--"_s))
        return invalid(u"must not contain '--' (reserved for punycode names)"_s);
    if (isReservedSubdomain(subdomain))
        return invalid(u"'%1' is reserved"_s.arg(subdomain));
    for (const QString &t : taken) {
        if (t.compare(subdomain, Qt::CaseInsensitive) == 0)
            return invalid(u"'%1' is already taken by another box"_s.arg(subdomain));
    }
    return {};
}

VoidResult Validators::validateDomain(const QString &domain)
{
    static const QRegularExpression label = anchored(u"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"_s);
    if (auto r = checkLength(u"domain"_s, domain, MaxFqdnLength); !r)
        return r;
    const QStringList labels = domain.split(u'.');
    for (const QString &l : labels) {
        if (!matches(label, l))
            return invalid(u"invalid domain %1: lower-case labels of a-z, 0-9, '-' separated by "
                           u"dots"_s.arg(printable(domain)));
    }
    return {};
}

VoidResult Validators::validateEnvKey(const QString &key)
{
    static const QRegularExpression re = anchored(u"[A-Za-z_][A-Za-z0-9_]*"_s);
    if (auto r = checkLength(u"environment variable name"_s, key, MaxEnvKeyLength); !r)
        return r;
    if (!matches(re, key))
        return invalid(
            u"invalid environment variable name %1: must match [A-Za-z_][A-Za-z0-9_]*"_s.arg(
                printable(key)));
    return {};
}

VoidResult Validators::validateEnvValue(const QString &value)
{
    // Values are never echoed: they may be tokens the user pasted.
    if (value.contains(QChar(0)))
        return invalid(u"value contains a NUL character"_s);
    if (value.size() > MaxEnvValueLength)
        return invalid(u"value is too long (at most %1 characters)"_s.arg(MaxEnvValueLength));
    return {};
}

bool Validators::isProviderCredentialName(const QString &key)
{
    static const QStringList names = {
        u"ANTHROPIC_API_KEY"_s,     u"ANTHROPIC_AUTH_TOKEN"_s, u"CLAUDE_CODE_OAUTH_TOKEN"_s,
        u"RESEND_API_KEY"_s,        u"OPENAI_API_KEY"_s,       u"BOX_API_TOKEN"_s,
        u"BOX_AGENT_SECRET"_s,      u"COOLIFY_TOKEN"_s,        u"COOLIFY_API_TOKEN"_s,
        u"AWS_SECRET_ACCESS_KEY"_s, u"GITHUB_TOKEN"_s,
    };
    return names.contains(key.toUpper());
}

QString Validators::reservedEnvRule(const QString &key)
{
    const QString k = key.toUpper();
    if (k.startsWith(u"BOX_"_s))
        return u"reserved: BOX_* variables switch the box image's own services and are set by "
               u"box-console, never by a spec"_s;
    // What the entrypoint, code-server and the dynamic loader read: a spec setting them could
    // replace the password, run planted binaries or preload code into the box's services.
    // (code-server's password comes from the box secret CODE_SERVER_PASSWORD: a file.)
    static const QStringList image = {
        u"PASSWORD"_s, u"HASHED_PASSWORD"_s, u"CODE_SERVER_CONFIG"_s,
        u"PATH"_s,     u"LD_PRELOAD"_s,      u"LD_LIBRARY_PATH"_s,
        u"LD_AUDIT"_s, u"BASH_ENV"_s,        u"IFS"_s,
    };
    if (image.contains(k))
        return u"reserved: the box image reads %1 for its own protection"_s.arg(k);
    // The egress policy decides where a box's traffic goes.
    static const QStringList egress = {
        u"HTTP_PROXY"_s, u"HTTPS_PROXY"_s, u"ALL_PROXY"_s,
        u"NO_PROXY"_s,   u"FTP_PROXY"_s,   u"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"_s,
    };
    if (egress.contains(k) || k.endsWith(u"_BASE_URL"_s))
        return u"reserved: proxy and *_BASE_URL variables are set by the egress policy"_s;
    return {};
}

VoidResult Validators::validateSpecEnvKey(const QString &key)
{
    if (auto r = validateEnvKey(key); !r)
        return r;
    if (isProviderCredentialName(key))
        return invalid(u"provider credentials never go into a box: the egress proxy injects "
                       u"them (give the box an \"egress\" policy)"_s);
    if (const QString rule = reservedEnvRule(key); !rule.isEmpty())
        return invalid(rule);
    return {};
}

VoidResult Validators::validateOwner(const QString &owner)
{
    static const QRegularExpression re = anchored(
        u"[A-Za-z0-9](?:[A-Za-z0-9._+-]*[A-Za-z0-9_])?"
        u"(?:@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)?"_s);
    if (auto r = checkLength(u"owner"_s, owner, MaxOwnerLength); !r)
        return r;
    if (!matches(re, owner))
        return invalid(u"invalid owner %1: use a user name or an e-mail address (letters, digits, "
                       u"'.', '_', '+', '-', one '@')"_s.arg(printable(owner)));
    return {};
}

VoidResult Validators::validateLabelKey(const QString &key)
{
    static const QRegularExpression re =
        anchored(u"[A-Za-z0-9](?:[A-Za-z0-9._/\\[\\]-]*[A-Za-z0-9\\]])?"_s);
    if (auto r = checkLength(u"label key"_s, key, MaxLabelKeyLength); !r)
        return r;
    if (!matches(re, key))
        return invalid(u"invalid label key %1"_s.arg(printable(key)));
    return {};
}

VoidResult Validators::validateLabelValue(const QString &value)
{
    if (value.size() > MaxLabelValueLength)
        return invalid(
            u"label value is too long (at most %1 characters)"_s.arg(MaxLabelValueLength));
    if (hasUnsafeCharacters(value))
        return invalid(
            u"label value contains control or invisible characters: %1"_s.arg(printable(value)));
    return {};
}

VoidResult Validators::validatePackage(PackageManager manager, const QString &spec)
{
    switch (manager) {
    case PackageManager::Apt:
        return validateAptPackage(spec);
    case PackageManager::Npm:
        return validateNpmPackage(spec);
    case PackageManager::Pip:
        return validatePipPackage(spec);
    }
    return invalid(u"unknown package manager"_s);
}

VoidResult Validators::validateAptPackage(const QString &spec)
{
    // Debian policy 5.6.1 (names) and 5.6.12 (versions: [epoch:]upstream[-revision]).
    static const QRegularExpression name = anchored(u"[a-z0-9][a-z0-9+.-]+"_s);
    static const QRegularExpression version =
        anchored(u"(?:[0-9]+:)?[0-9][A-Za-z0-9.+~]*(?:-[A-Za-z0-9.+~]+)*"_s);
    if (auto r = checkLength(u"apt package"_s, spec, 256); !r)
        return r;
    const qsizetype eq = spec.indexOf(u'=');
    const QString n = eq < 0 ? spec : spec.left(eq);
    if (!matches(name, n) || n.size() > 128)
        return invalid(u"invalid apt package name %1: Debian names use a-z, 0-9, '+', '.', '-' "
                       u"and start with a letter or digit"_s.arg(printable(spec)));
    // apt-get reads "name-" as "remove name" (and "name+" as "install", which is harmless:
    // real names like g++ end in '+'); no Debian package name ends in '-'.
    if (n.endsWith(u'-'))
        return invalid(u"invalid apt package name %1: a trailing '-' asks apt to remove the "
                       u"package"_s.arg(printable(spec)));
    if (eq >= 0 && !matches(version, spec.mid(eq + 1)))
        return invalid(u"invalid apt package version in %1"_s.arg(printable(spec)));
    return {};
}

VoidResult Validators::validateNpmPackage(const QString &spec)
{
    // validate-npm-package-name rules for new packages: lower case, URL-safe, no leading
    // '.' or '_', at most 214 characters including the scope. A leading '-' is refused too
    // because "npm install --foo" is an option.
    static const QRegularExpression name =
        anchored(u"(?:@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*"_s);
    static const QRegularExpression semver = anchored(
        u"[~^]?(?:0|[1-9][0-9]*)(?:\\.(?:0|[1-9][0-9]*|x)){0,2}(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?"_s);
    static const QRegularExpression tag = anchored(u"[a-z][a-z0-9._-]{0,63}"_s);
    if (auto r = checkLength(u"npm package"_s, spec, 300); !r)
        return r;
    const qsizetype at = spec.lastIndexOf(u'@');
    const bool hasVersion = at > 0;
    const QString n = hasVersion ? spec.left(at) : spec;
    if (!matches(name, n) || n.size() > 214 || n == u"node_modules"_s || n == u"favicon.ico"_s)
        return invalid(u"invalid npm package name %1: lower case a-z, 0-9, '.', '_', '-', "
                       u"optionally @scope/, at most 214 characters"_s.arg(printable(spec)));
    if (hasVersion) {
        const QString v = spec.mid(at + 1);
        if (!matches(semver, v) && !matches(tag, v))
            return invalid(u"invalid npm version in %1: use a semantic version or a dist-tag"_s.arg(
                printable(spec)));
    }
    return {};
}

VoidResult Validators::validatePipPackage(const QString &spec)
{
    // PEP 508 names; "==" with a PEP 440 public version (+ local label). Extras ("[x]") and
    // wildcards are shell glob characters, so they are refused rather than quoted.
    static const QRegularExpression name = anchored(u"[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9]"_s,
                                                    QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression version = anchored(
        u"(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*(?:(?:a|b|rc)[0-9]+)?(?:\\.post[0-9]+)?(?:\\.dev[0-9]+)?"
        u"(?:\\+[a-z0-9]+(?:\\.[a-z0-9]+)*)?"_s,
        QRegularExpression::CaseInsensitiveOption);
    if (auto r = checkLength(u"pip package"_s, spec, 256); !r)
        return r;
    const qsizetype eq = spec.indexOf(u"=="_s);
    const QString n = eq < 0 ? spec : spec.left(eq);
    if (!isAscii(spec) || !matches(name, n) || n.size() > 128)
        return invalid(u"invalid pip package name %1: PEP 508 names use letters, digits, '.', "
                       u"'_', '-' and start and end with a letter or digit"_s.arg(printable(spec)));
    if (eq >= 0 && !matches(version, spec.mid(eq + 2)))
        return invalid(
            u"invalid pip version in %1: use ==<PEP 440 version>"_s.arg(printable(spec)));
    return {};
}

VoidResult Validators::validateImageReference(const QString &reference)
{
    static const QRegularExpression digestRe = anchored(u"sha256:[a-f0-9]{64}"_s);
    static const QRegularExpression tagRe = anchored(u"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"_s);
    static const QRegularExpression domainRe = anchored(
        u"(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*(?::[0-9]{1,5})?"_s);
    static const QRegularExpression pathRe = anchored(u"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"_s);

    if (auto r = checkLength(u"image reference"_s, reference, MaxImageReferenceLength); !r)
        return r;
    const QString bad = u"invalid image reference %1"_s.arg(printable(reference));
    if (!isAscii(reference))
        return invalid(bad);

    QString rest = reference;
    const qsizetype at = rest.indexOf(u'@');
    if (at >= 0) {
        if (!matches(digestRe, rest.mid(at + 1)))
            return invalid(bad + u": digest must be sha256:<64 lower-case hex digits>"_s);
        rest.truncate(at);
    }
    const qsizetype colon = rest.lastIndexOf(u':');
    if (colon > rest.lastIndexOf(u'/')) {
        if (!matches(tagRe, rest.mid(colon + 1)))
            return invalid(bad + u": invalid tag"_s);
        rest.truncate(colon);
    }
    if (rest.isEmpty() || rest.size() > 255)
        return invalid(bad);
    QStringList parts = rest.split(u'/');
    // As in distribution/reference: the first component is a registry only if it looks
    // like a host (a dot, a port, or "localhost").
    const QString &first = parts.first();
    if (parts.size() > 1 &&
        (first.contains(u'.') || first.contains(u':') || first == u"localhost"_s)) {
        if (!matches(domainRe, first))
            return invalid(bad + u": invalid registry host"_s);
        parts.removeFirst();
    }
    for (const QString &p : std::as_const(parts)) {
        if (!matches(pathRe, p))
            return invalid(bad + u": repository path components use a-z, 0-9 and single "
                                 u"separators '.', '_', '__', '-'"_s);
    }
    return {};
}

VoidResult Validators::validateSkillPath(const QString &path, const QString &skillsRoot)
{
    static const QRegularExpression component = anchored(u"[A-Za-z0-9][A-Za-z0-9._-]*"_s);
    if (auto r = checkLength(u"skill path"_s, path, MaxPathLength); !r)
        return r;
    if (hasUnsafeCharacters(path) || path.contains(u'\\'))
        return invalid(
            u"skill path %1 contains control characters or backslashes"_s.arg(printable(path)));

    QString rel = path;
    if (rel.size() > 1 && rel.endsWith(u'/'))
        rel.chop(1);
    if (rel.startsWith(u'/')) {
        if (skillsRoot.isEmpty())
            return invalid(
                u"skill path %1 must be relative to the skills directory"_s.arg(printable(path)));
        const QString root = QDir::cleanPath(skillsRoot);
        const QString prefix = root == u"/"_s ? root : root + u'/';
        if (rel.split(u'/').contains(u".."_s) || !rel.startsWith(prefix) ||
            rel.size() <= prefix.size())
            return invalid(u"skill path %1 is outside the skills directory"_s.arg(printable(path)));
        rel = rel.mid(prefix.size());
    }
    const QStringList parts = rel.split(u'/');
    for (const QString &p : parts) {
        if (p == u".."_s)
            return invalid(u"skill path %1 must not contain '..'"_s.arg(printable(path)));
        if (!matches(component, p) || p.size() > 255)
            return invalid(u"invalid skill path %1: components use letters, digits, '.', '_', "
                           u"'-' and do not start with '.' or '-'"_s.arg(printable(path)));
    }
    return {};
}

VoidResult Validators::validateSecretName(const QString &name)
{
    static const QRegularExpression re = anchored(u"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}"_s);
    if (name.isEmpty() || !matches(re, name))
        return invalid(
            u"invalid secret name %1: 1-128 characters a-z, A-Z, 0-9, '_', '.', '-'"_s.arg(
                printable(name)));
    return {};
}

VoidResult Validators::validateBoxSecretName(const QString &name)
{
    if (auto r = validateSecretName(name); !r)
        return r;
    if (!validateEnvKey(name))
        return invalid(u"%1 is not usable as an environment variable name (A-Z, a-z, 0-9, '_', "
                       u"not starting with a digit): the box gets %1_FILE"_s.arg(name));
    if (isProviderCredentialName(name))
        return invalid(u"%1 is a provider credential: those never go into a box, the egress "
                       u"proxy injects them (give the box an \"egress\" policy)"_s.arg(name));
    const QString fileVariable = name + u"_FILE"_s;
    if (const QString rule = reservedEnvRule(name); !rule.isEmpty())
        return invalid(u"%1: %2"_s.arg(name, rule));
    if (const QString rule = reservedEnvRule(fileVariable); !rule.isEmpty())
        return invalid(u"%1: %2"_s.arg(fileVariable, rule));
    return {};
}

VoidResult Validators::validatePolicyName(const QString &name)
{
    static const QRegularExpression re = anchored(u"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}"_s);
    if (name.isEmpty() || !matches(re, name))
        return invalid(
            u"invalid policy name %1: 1-63 characters a-z, A-Z, 0-9, '_', '.', '-'"_s.arg(
                printable(name)));
    return {};
}

} // namespace bc::security
