#include "core/security/boxspec.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using bc::Error;
using bc::security::BoxSpec;
using nlohmann::json;

namespace {

json minimal()
{
    return {{"name", "box-alice"}, {"image", "bctest/busybox:latest"}};
}

json full()
{
    return {
        {"name", "box-alice"},
        {"subdomain", "alice"},
        {"owner", "alice@example.com"},
        {"image", "ghcr.io/acme/box-base:2024.10"},
        {"cpus", 2},
        {"memory", "1.5g"},
        {"pids", 200},
        {"isolation", "routed"},
        {"env", {{"TZ", "Europe/Berlin"}, {"EDITOR", "vim"}}},
        {"secrets", {"resend", "anthropic"}},
        {"egress", "anthropic-only"},
        {"keepDataOnDelete", true},
        {"healthcheck",
         {{"test", {"CMD", "/bin/true"}},
          {"interval", "2s"},
          {"timeout", 500},
          {"startPeriod", "1m30s"},
          {"retries", 5}}},
        {"command", {"sh", "-c", "httpd -f -p 9999"}},
    };
}

json with(json base, const std::string &key, const json &value)
{
    base[key] = value;
    return base;
}

QString errorOf(const json &j)
{
    const auto r = BoxSpec::fromJson(j);
    if (r.ok())
        return QString();
    if (r.error().kind() != Error::Kind::Invalid)
        return u"<wrong kind>"_s;
    return r.error().message();
}

} // namespace

class tst_BoxSpec final : public QObject
{
    Q_OBJECT
private slots:
    void defaults()
    {
        const auto r = BoxSpec::fromJson(minimal());
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message()));
        const BoxSpec &s = *r;
        QCOMPARE(s.name, u"box-alice"_s);
        QCOMPARE(s.image, u"bctest/busybox:latest"_s);
        QCOMPARE(s.cpus, 1.5);
        QCOMPARE(s.memoryBytes, 2LL * 1024 * 1024 * 1024);
        QCOMPARE(s.pids, 100);
        QCOMPARE(s.isolation, BoxSpec::Isolation::Isolated);
        QVERIFY(s.env.isEmpty());
        QVERIFY(!s.healthcheck);
        QVERIFY(!s.keepDataOnDelete);
    }

    void fullSpec()
    {
        const auto r = BoxSpec::fromJson(full());
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message()));
        const BoxSpec &s = *r;
        QCOMPARE(s.subdomain, u"alice"_s);
        QCOMPARE(s.owner, u"alice@example.com"_s);
        QCOMPARE(s.cpus, 2.0);
        QCOMPARE(s.memoryBytes, 1536LL * 1024 * 1024);
        QCOMPARE(s.pids, 200);
        QCOMPARE(s.isolation, BoxSpec::Isolation::Routed);
        QCOMPARE(s.env.value(u"TZ"_s), u"Europe/Berlin"_s);
        QCOMPARE(s.secrets, QStringList({u"resend"_s, u"anthropic"_s}));
        QCOMPARE(s.egress, u"anthropic-only"_s);
        QVERIFY(s.keepDataOnDelete);
        QVERIFY(s.healthcheck);
        QCOMPARE(s.healthcheck->test, QStringList({u"CMD"_s, u"/bin/true"_s}));
        QCOMPARE(s.healthcheck->intervalMs, 2000);
        QCOMPARE(s.healthcheck->timeoutMs, 500);
        QCOMPARE(s.healthcheck->startPeriodMs, 90000);
        QCOMPARE(s.healthcheck->retries, 5);
        QCOMPARE(s.command.size(), 3);
    }

    void skillsInsteadOfImage()
    {
        json j = minimal();
        j.erase("image");
        j["skills"] = {"git-helper", "team/review"};
        const auto r = BoxSpec::fromJson(j);
        QVERIFY(r.ok());
        QCOMPARE(r->skills.size(), 2);
        QVERIFY(r->image.isEmpty());
    }

    void memory_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("bytes"); // -1: invalid
        const qint64 m = 1024 * 1024;
        QTest::newRow("512m") << u"\"512m\""_s << 512 * m;
        QTest::newRow("2g") << u"\"2g\""_s << 2048 * m;
        QTest::newRow("1.5g") << u"\"1.5g\""_s << 1536 * m;
        QTest::newRow("2G") << u"\"2G\""_s << 2048 * m;
        QTest::newRow("2gb") << u"\"2gb\""_s << 2048 * m;
        QTest::newRow("2GiB") << u"\"2GiB\""_s << 2048 * m;
        QTest::newRow("65536k") << u"\"65536k\""_s << 64 * m;
        QTest::newRow("bytes int") << u"1073741824"_s << 1024 * m;
        QTest::newRow("bytes string") << u"\"1073741824\""_s << 1024 * m;
        QTest::newRow("64m min") << u"\"64m\""_s << 64 * m;
        QTest::newRow("1t max") << u"\"1t\""_s << 1024 * 1024 * m;
        QTest::newRow("63m") << u"\"63m\""_s << qint64(-1);
        QTest::newRow("2t") << u"\"2t\""_s << qint64(-1);
        QTest::newRow("zero") << u"0"_s << qint64(-1);
        QTest::newRow("negative") << u"-1"_s << qint64(-1);
        QTest::newRow("float") << u"2.5"_s << qint64(-1);
        QTest::newRow("words") << u"\"two gigs\""_s << qint64(-1);
        QTest::newRow("space") << u"\"2 g\""_s << qint64(-1);
        QTest::newRow("empty") << u"\"\""_s << qint64(-1);
        QTest::newRow("huge") << u"\"99999999999999999t\""_s << qint64(-1);
        QTest::newRow("huge int") << u"18446744073709551615"_s << qint64(-1);
        QTest::newRow("bool") << u"true"_s << qint64(-1);
    }
    void memory()
    {
        QFETCH(QString, text);
        QFETCH(qint64, bytes);
        const auto r =
            BoxSpec::fromJson(with(minimal(), "memory", json::parse(text.toStdString())));
        if (bytes < 0) {
            QVERIFY(!r.ok());
            QVERIFY2(r.error().message().startsWith(u"memory: "_s),
                     qPrintable(r.error().message()));
        } else {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message()));
            QCOMPARE(r->memoryBytes, bytes);
        }
    }

    void invalidValues_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("prefix"); // expected start of the message
        auto row = [](const char *name, const json &j, const QString &prefix) {
            QTest::newRow(name) << QString::fromStdString(j.dump()) << prefix;
        };
        row("not an object", json::array(), u"spec: "_s);
        row("unknown key", with(minimal(), "privileged", true), u"privileged: unknown key"_s);
        row("missing name", json{{"image", "a"}}, u"name: is required"_s);
        row("name type", with(minimal(), "name", 42), u"name: expected a string"_s);
        row("neither image nor skills", json{{"name", "box"}}, u"image: "_s);
        row("both", with(minimal(), "skills", {"a"}), u"image: give either"_s);
        row("skills empty", with(json{{"name", "box"}}, "skills", json::array()), u"skills: "_s);
        row("skills dup", with(json{{"name", "box"}}, "skills", {"a", "a"}),
            u"skills[1]: duplicate"_s);
        row("skills type", with(json{{"name", "box"}}, "skills", {"a", 1}),
            u"skills[1]: expected a string"_s);
        row("cpus zero", with(minimal(), "cpus", 0), u"cpus: "_s);
        row("cpus negative", with(minimal(), "cpus", -1.5), u"cpus: "_s);
        row("cpus too many", with(minimal(), "cpus", 65), u"cpus: "_s);
        row("cpus string", with(minimal(), "cpus", "2"), u"cpus: expected a number"_s);
        row("pids low", with(minimal(), "pids", 9), u"pids: "_s);
        row("pids high", with(minimal(), "pids", 100001), u"pids: "_s);
        row("pids float", with(minimal(), "pids", 100.5), u"pids: expected an integer"_s);
        row("isolation", with(minimal(), "isolation", "host"), u"isolation: "_s);
        row("routed without subdomain", with(minimal(), "isolation", "routed"),
            u"subdomain: is required"_s);
        row("env not object", with(minimal(), "env", {"A=B"}), u"env: expected an object"_s);
        row("env bad key", with(minimal(), "env", {{"FOO-BAR", "x"}}),
            u"env.FOO-BAR: invalid environment variable name"_s);
        row("env value type", with(minimal(), "env", {{"FOO", 1}}),
            u"env.FOO: expected a string"_s);
        row("env provider key", with(minimal(), "env", {{"ANTHROPIC_API_KEY", "sk-ant-x"}}),
            u"env.ANTHROPIC_API_KEY: provider credentials"_s);
        row("secrets type", with(minimal(), "secrets", "a"), u"secrets: expected an array"_s);
        row("secrets dup", with(minimal(), "secrets", {"a", "a"}), u"secrets[1]: duplicate"_s);
        row("keep type", with(minimal(), "keepDataOnDelete", "yes"),
            u"keepDataOnDelete: expected a boolean"_s);
        row("hc type", with(minimal(), "healthcheck", "curl"),
            u"healthcheck: expected an object"_s);
        row("hc unknown", with(minimal(), "healthcheck", {{"cmd", "x"}}),
            u"healthcheck.cmd: unknown key"_s);
        row("hc none", with(minimal(), "healthcheck", {{"test", {"NONE"}}}),
            u"healthcheck.test: "_s);
        row("hc no command", with(minimal(), "healthcheck", {{"test", {"CMD"}}}),
            u"healthcheck.test: "_s);
        row("hc shell two", with(minimal(), "healthcheck", {{"test", {"CMD-SHELL", "a", "b"}}}),
            u"healthcheck.test: "_s);
        row("hc interval", with(minimal(), "healthcheck", {{"interval", "10 s"}}),
            u"healthcheck.interval: "_s);
        row("hc interval tiny", with(minimal(), "healthcheck", {{"interval", "1ms"}}),
            u"healthcheck.interval: "_s);
        row("hc timeout zero", with(minimal(), "healthcheck", {{"timeout", 0}}),
            u"healthcheck.timeout: "_s);
        row("hc interval days", with(minimal(), "healthcheck", {{"interval", "25h"}}),
            u"healthcheck.interval: "_s);
        row("hc retries", with(minimal(), "healthcheck", {{"retries", 0}}),
            u"healthcheck.retries: "_s);
        row("hc retries type", with(minimal(), "healthcheck", {{"retries", "3"}}),
            u"healthcheck.retries: "_s);
        row("command type", with(minimal(), "command", "sh -c x"), u"command: expected an array"_s);
        row("egress", with(minimal(), "egress", "a b"), u"egress: "_s);
    }
    void invalidValues()
    {
        QFETCH(QString, text);
        QFETCH(QString, prefix);
        const QString message = errorOf(json::parse(text.toStdString()));
        QVERIFY2(message.startsWith(prefix), qPrintable(u"got: "_s + message));
    }

    // Injection attempts in every string field: all refused, each naming its field.
    void hostileSpecs_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("field");
        const QList<std::string> payloads = {
            "x`) || HostRegexp(`.+",
            "a`id`",
            "a$(id)",
            "a;id",
            "a\nRUN id",
            "a\r\nX-Injected: 1",
            std::string("a\0b", 3),
            "\xd0\xb0lice", // Cyrillic a
            "a\xe2\x80\xae"
            "b", // RLO
            std::string(5000, 'a'),
            "a b",
            "a\"b",
            "../../etc",
        };
        int n = 0;
        auto rows = [&](const char *field, const std::function<json(const std::string &)> &make) {
            for (const std::string &p : payloads) {
                const QByteArray name = QByteArray(field) + ' ' + QByteArray::number(n++);
                QTest::newRow(name.constData())
                    << QString::fromStdString(make(p).dump()) << QString::fromLatin1(field);
            }
        };
        rows("name", [](const std::string &p) { return with(minimal(), "name", p); });
        rows("subdomain", [](const std::string &p) { return with(minimal(), "subdomain", p); });
        rows("owner", [](const std::string &p) { return with(minimal(), "owner", p); });
        rows("image", [](const std::string &p) { return with(minimal(), "image", p); });
        rows("skills[0]", [](const std::string &p) {
            return json{{"name", "box"}, {"skills", {p}}};
        });
        rows("env.", [](const std::string &p) { return with(minimal(), "env", {{p, "v"}}); });
        rows("secrets[0]", [](const std::string &p) { return with(minimal(), "secrets", {p}); });
        rows("egress", [](const std::string &p) { return with(minimal(), "egress", p); });
        rows("healthcheck.test[1]", [](const std::string &p) {
            // Shell text itself is the user's business inside their box; control characters,
            // newlines and invisible characters are not.
            return with(minimal(), "healthcheck", {{"test", {"CMD-SHELL", "true" + p + "\n"}}});
        });
    }
    void hostileSpecs()
    {
        QFETCH(QString, text);
        QFETCH(QString, field);
        const QString message = errorOf(json::parse(text.toStdString()));
        QVERIFY2(!message.isEmpty(), "hostile spec accepted");
        QVERIFY2(message.startsWith(field), qPrintable(message));
        // The message itself is safe to print on a terminal or in a label.
        QVERIFY(!message.contains(u'\n'));
        QVERIFY(!message.contains(QChar(0)));
        QVERIFY(message.size() < 400);
    }

    void hostileEnvValues()
    {
        // Values may be multi-line, but NUL is refused and the value is never echoed.
        QVERIFY(BoxSpec::fromJson(with(minimal(), "env", {{"A", "line1\nline2"}})).ok());
        const QString message =
            errorOf(with(minimal(), "env", {{"TOKEN", std::string("sk-secret\0", 10)}}));
        QVERIFY(message.startsWith(u"env.TOKEN: "_s));
        QVERIFY(!message.contains(u"sk-secret"_s));
        QVERIFY(!errorOf(with(minimal(), "command", {std::string("a\0", 2)})).isEmpty());
    }

    void textParsing()
    {
        QVERIFY(BoxSpec::fromJsonText("{\"name\":\"box-a\",\"image\":\"busybox\"}").ok());
        auto r = BoxSpec::fromJsonText("{\"name\":\"box-a\",");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind(), Error::Kind::Invalid);
        QVERIFY(r.error().message().startsWith(u"spec: "_s));
        r = BoxSpec::fromJsonText(
            "{\"name\":\"ok\",\"image\":\"busybox\",\"name\":\"x`) || Host(`y\"}");
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message().startsWith(u"name: duplicate key"_s),
                 qPrintable(r.error().message()));
        r = BoxSpec::fromJsonText(
            "{\"name\":\"a1\",\"image\":\"busybox\",\"env\":{\"A\":\"1\",\"A\":\"2\"}}");
        QVERIFY(!r.ok());
        QVERIFY(r.error().message().contains(u"duplicate"_s));
        r = BoxSpec::fromJsonText(QByteArray(2 * 1024 * 1024, ' '));
        QVERIFY(!r.ok());
        r = BoxSpec::fromJsonText(QByteArray(100, '[') + QByteArray(100, ']'));
        QVERIFY(!r.ok());
        r = BoxSpec::fromJsonText("{\"name\":\"a\xff\",\"image\":\"busybox\"}");
        QVERIFY(!r.ok());
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("minimal") << QString::fromStdString(minimal().dump());
        QTest::newRow("full") << QString::fromStdString(full().dump());
        json odd = full();
        odd["memory"] = 100000000; // not a multiple of 1k
        odd["healthcheck"] = {{"interval", 1500}, {"timeout", "1h"}, {"startPeriod", 0}};
        odd["cpus"] = 0.25;
        QTest::newRow("odd units") << QString::fromStdString(odd.dump());
        json skills = full();
        skills.erase("image");
        skills["skills"] = {"b", "a/c"};
        QTest::newRow("skills") << QString::fromStdString(skills.dump());
    }
    void roundTrip()
    {
        QFETCH(QString, text);
        const auto first = BoxSpec::fromJson(json::parse(text.toStdString()));
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().message()));
        const nlohmann::json out = first->toJson();
        const auto second = BoxSpec::fromJson(out);
        QVERIFY2(second.ok(), qPrintable(second.ok() ? QString() : second.error().message()));
        QCOMPARE(QString::fromStdString(second->toJson().dump()),
                 QString::fromStdString(out.dump()));
        QCOMPARE(second->hash(), first->hash());
        QCOMPARE(second->memoryBytes, first->memoryBytes);
        QCOMPARE(second->cpus, first->cpus);
        QCOMPARE(second->env, first->env);
        QCOMPARE(second->secrets, first->secrets);
        QCOMPARE(second->command, first->command);
        QCOMPARE(bool(second->healthcheck), bool(first->healthcheck));
        if (first->healthcheck) {
            QCOMPARE(second->healthcheck->intervalMs, first->healthcheck->intervalMs);
            QCOMPARE(second->healthcheck->timeoutMs, first->healthcheck->timeoutMs);
            QCOMPARE(second->healthcheck->startPeriodMs, first->healthcheck->startPeriodMs);
            QCOMPARE(second->healthcheck->test, first->healthcheck->test);
        }
        // fromJsonText of the dump gives the same spec.
        const auto third = BoxSpec::fromJsonText(QByteArray::fromStdString(out.dump(2)));
        QVERIFY(third.ok());
        QCOMPARE(third->hash(), first->hash());
    }

    // The rules hold for a spec built in C++ (the GUI's form, code) exactly as for JSON:
    // validate() is the one place, and fromJson() goes through it.
    void validateRefuses_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("message"); // expected start: field and rule
        const QString reservedBox = u"reserved: BOX_* variables"_s;
        QTest::newRow("code-server auth off")
            << u"env:BOX_CODE_SERVER_AUTH=none"_s << u"env.BOX_CODE_SERVER_AUTH: "_s + reservedBox;
        QTest::newRow("agent on all interfaces")
            << u"env:BOX_AGENT_BIND=0.0.0.0"_s << u"env.BOX_AGENT_BIND: "_s + reservedBox;
        QTest::newRow("dev sshd") << u"env:BOX_DEV_SSH=1"_s << u"env.BOX_DEV_SSH: "_s + reservedBox;
        QTest::newRow("isolation switch")
            << u"env:BOX_ISOLATION=isolated"_s << u"env.BOX_ISOLATION: "_s + reservedBox;
        QTest::newRow("code-server password")
            << u"env:PASSWORD=hunter2"_s << u"env.PASSWORD: reserved: the box image reads"_s;
        QTest::newRow("path") << u"env:PATH=/home/coder/workspace"_s
                              << u"env.PATH: reserved: the box image reads"_s;
        QTest::newRow("proxy") << u"env:HTTPS_PROXY=http://evil:3128"_s
                               << u"env.HTTPS_PROXY: reserved: proxy and *_BASE_URL"_s;
        QTest::newRow("base url") << u"env:ANTHROPIC_BASE_URL=http://evil"_s
                                  << u"env.ANTHROPIC_BASE_URL: reserved: proxy and *_BASE_URL"_s;
        QTest::newRow("provider key in env")
            << u"env:ANTHROPIC_API_KEY=sk-ant-x"_s
            << u"env.ANTHROPIC_API_KEY: provider credentials never go into a box"_s;
        QTest::newRow("provider key as secret")
            << u"secret:ANTHROPIC_API_KEY"_s
            << u"secrets[0]: ANTHROPIC_API_KEY is a provider credential"_s;
        QTest::newRow("provider key as secret, lower case")
            << u"secret:resend_api_key"_s
            << u"secrets[0]: resend_api_key is a provider credential"_s;
        QTest::newRow("store key as secret") << u"secret:coolify-token"_s
                                             << u"secrets[0]: coolify-token is not usable as an "
                                                u"environment variable name"_s;
        QTest::newRow("reserved secret")
            << u"secret:BOX_AGENT_SECRET"_s << u"secrets[0]: BOX_AGENT_SECRET is a provider"_s;
        QTest::newRow("box secret") << u"secret:BOX_X"_s << u"secrets[0]: BOX_X: reserved"_s;
        QTest::newRow("secret file variable in env")
            << u"secret:GIT_TOKEN env:GIT_TOKEN_FILE=/tmp/x"_s
            << u"env.GIT_TOKEN_FILE: set by the deploy"_s;
        QTest::newRow("secret also in env") << u"secret:GIT_TOKEN env:GIT_TOKEN=x"_s
                                            << u"secrets[0]: GIT_TOKEN is also set under env"_s;
        QTest::newRow("cpus") << u"cpus:0"_s << u"cpus: must be between"_s;
        QTest::newRow("memory") << u"memory:1000"_s << u"memory: at least 64m"_s;
        QTest::newRow("pids") << u"pids:5"_s << u"pids: must be between 10 and 100000"_s;
        QTest::newRow("name") << u"name:a;b"_s << u"name: invalid name"_s;
        QTest::newRow("routed without subdomain") << u"routed"_s << u"subdomain: is required"_s;
        QTest::newRow("healthcheck") << u"health:NONE"_s << u"healthcheck.test: must start"_s;
    }
    void validateRefuses()
    {
        QFETCH(QString, what);
        QFETCH(QString, message);
        BoxSpec spec = BoxSpec::fromJson(minimal()).value();
        QVERIFY(spec.validate().ok());
        for (const QString &part : what.split(u' ')) {
            const QString kind = part.section(u':', 0, 0);
            const QString arg = part.section(u':', 1);
            if (kind == u"env"_s)
                spec.env.insert(arg.section(u'=', 0, 0), arg.section(u'=', 1));
            else if (kind == u"secret"_s)
                spec.secrets << arg;
            else if (kind == u"cpus"_s)
                spec.cpus = arg.toDouble();
            else if (kind == u"memory"_s)
                spec.memoryBytes = arg.toLongLong();
            else if (kind == u"pids"_s)
                spec.pids = arg.toLongLong();
            else if (kind == u"name"_s)
                spec.name = arg;
            else if (kind == u"routed"_s)
                spec.isolation = BoxSpec::Isolation::Routed;
            else if (kind == u"health"_s)
                spec.healthcheck = BoxSpec::Healthcheck{{arg}};
        }
        const auto r = spec.validate();
        QVERIFY2(!r.ok(), "validate() accepted it");
        QCOMPARE(r.error().kind(), Error::Kind::Invalid);
        QVERIFY2(r.error().message().startsWith(message), qPrintable(r.error().message()));
        // The JSON route says the same (or refuses the same field first, while parsing).
        const QString viaJson = errorOf(spec.toJson());
        QVERIFY2(viaJson.startsWith(message.section(u':', 0, 0) + u':'), qPrintable(viaJson));
        // An env value is never echoed.
        QVERIFY(!r.error().message().contains(u"hunter2"_s));
        QVERIFY(!r.error().message().contains(u"sk-ant-x"_s));
    }

    void validateAcceptsSecretsAndOrdinaryEnv()
    {
        BoxSpec spec = BoxSpec::fromJson(minimal()).value();
        spec.env.insert(u"TZ"_s, u"UTC"_s);
        spec.env.insert(u"GIT_AUTHOR_NAME"_s, u"Alice"_s);
        spec.secrets = {u"GIT_TOKEN"_s, u"NPM_TOKEN"_s};
        QVERIFY2(spec.validate().ok(), qPrintable(spec.validate().error().message()));
        QVERIFY(BoxSpec::fromJson(spec.toJson()).ok());
    }

    void hashIsStableOverNormalisation()
    {
        const QString base = BoxSpec::fromJson(full())->hash();
        QCOMPARE(base.size(), 64);
        QCOMPARE(BoxSpec::fromJson(full())->hash(), base);

        json same = full();
        same["memory"] = 1536 * 1024 * 1024;       // same size, other notation
        same["secrets"] = {"anthropic", "resend"}; // order irrelevant
        same["keepDataOnDelete"] = false;          // not part of the container
        same["healthcheck"]["timeout"] = "500ms";
        same["cpus"] = 2.0;
        QCOMPARE(BoxSpec::fromJson(same)->hash(), base);
        // Key order in the text does not matter either.
        const auto reordered =
            BoxSpec::fromJsonText("{\"image\":\"bctest/busybox:latest\",\"name\":\"box-alice\"}");
        QCOMPARE(reordered->hash(), BoxSpec::fromJson(minimal())->hash());

        for (const auto &[key, value] :
             std::initializer_list<std::pair<std::string, json>>{{"cpus", 1},
                                                                 {"memory", "2g"},
                                                                 {"pids", 100},
                                                                 {"owner", "bob"},
                                                                 {"env", {{"TZ", "UTC"}}},
                                                                 {"image", "busybox"},
                                                                 {"command", {"sh"}}}) {
            QVERIFY2(BoxSpec::fromJson(with(full(), key, value))->hash() != base, key.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(tst_BoxSpec)
#include "tst_boxspec.moc"
