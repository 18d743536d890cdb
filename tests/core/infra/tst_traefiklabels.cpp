#include "core/infra/traefiklabels.h"
#include "core/security/validators.h"

#include <QHash>
#include <QRegularExpression>
#include <QTest>

using namespace bc::infra;
using namespace Qt::Literals::StringLiterals;

class tst_TraefikLabels : public QObject
{
    Q_OBJECT

    static TraefikRoute route()
    {
        TraefikRoute r;
        r.boxId = QStringLiteral("alice");
        r.subdomain = QStringLiteral("alice");
        r.domain = QStringLiteral("boxes.example.com");
        r.network = QStringLiteral("alice-net");
        return r;
    }

private slots:
    void golden()
    {
        auto labels = TraefikLabels::generate(route());
        QVERIFY2(labels.ok(), qPrintable(labels.ok() ? QString() : labels.error().toString()));
        const QMap<QString, QString> expected{
            {QStringLiteral("traefik.enable"), QStringLiteral("true")},
            {QStringLiteral("traefik.docker.network"), QStringLiteral("alice-net")},
            {QStringLiteral("traefik.http.routers.box-alice.rule"),
             QStringLiteral("Host(`alice.boxes.example.com`)")},
            {QStringLiteral("traefik.http.routers.box-alice.entrypoints"),
             QStringLiteral("websecure")},
            {QStringLiteral("traefik.http.routers.box-alice.tls"), QStringLiteral("true")},
            {QStringLiteral("traefik.http.routers.box-alice.tls.certresolver"),
             QStringLiteral("le")},
            {QStringLiteral("traefik.http.routers.box-alice.priority"), QStringLiteral("100")},
            {QStringLiteral("traefik.http.routers.box-alice.service"), QStringLiteral("box-alice")},
            {QStringLiteral("traefik.http.services.box-alice.loadbalancer.server.port"),
             QStringLiteral("8080")}};
        QCOMPARE(labels.value(), expected);
    }

    void optionalParts()
    {
        TraefikRoute r = route();
        r.certResolver.clear();
        r.middlewares = {QStringLiteral("box-auth@file"), QStringLiteral("ratelimit")};
        r.priority = 7;
        r.servicePort = 9000;
        auto labels = TraefikLabels::generate(r);
        QVERIFY(labels.ok());
        QVERIFY(
            !labels->contains(QStringLiteral("traefik.http.routers.box-alice.tls.certresolver")));
        QCOMPARE(labels->value(QStringLiteral("traefik.http.routers.box-alice.middlewares")),
                 QStringLiteral("box-auth@file,ratelimit"));
        QCOMPARE(labels->value(QStringLiteral("traefik.http.routers.box-alice.priority")),
                 QStringLiteral("7"));
        QCOMPARE(labels->value(
                     QStringLiteral("traefik.http.services.box-alice.loadbalancer.server.port")),
                 QStringLiteral("9000"));
    }

    void routerNamesComeFromSanitisedIds()
    {
        QCOMPARE(TraefikLabels::routerName(QStringLiteral("alice")).value(),
                 QStringLiteral("box-alice"));
        // A full container id (not a box name) keeps docker ps's 12 digits in its name.
        const QString full = QStringLiteral("7f3a1b2c3d4e") + QString(52, u'0');
        QVERIFY(TraefikLabels::routerName(full).value().startsWith(u"box-7f3a1b2c3d4e-"));
        QCOMPARE(TraefikLabels::routerName(QStringLiteral("my-box")).value(),
                 QStringLiteral("box-my-box"));
        // Upper case, '.', '_' and a '-' not followed by [a-z0-9] are written as "--" and
        // one code character, so the name can be read back: "a.b" and "a_b" stay apart.
        QCOMPARE(TraefikLabels::routerName(QStringLiteral("Alice.B")).value(),
                 QStringLiteral("box---alice--1--b"));
        QCOMPARE(TraefikLabels::routerName(QStringLiteral("alice_b")).value(),
                 QStringLiteral("box-alice--2b"));
        QCOMPARE(TraefikLabels::routerName(QStringLiteral("a-.b")).value(),
                 QStringLiteral("box-a--0--1b"));
        const QString evil = TraefikLabels::routerName(QStringLiteral("x`) || Host(`y")).value();
        QVERIFY(QRegularExpression(QStringLiteral("\\Abox-[a-z0-9-]+\\z")).match(evil).hasMatch());
        QVERIFY(!TraefikLabels::routerName(QStringLiteral("...")).ok());
        QVERIFY(!TraefikLabels::routerName(QString()).ok());
    }

    void routerNamesAreInjective()
    {
        // Box names are case-sensitive and may start with "box-": each one its own router
        // and service, or one box would receive another's traffic.
        static const QRegularExpression safe(QStringLiteral("\\Abox-[a-z0-9-]*[a-z0-9]\\z"));
        QHash<QString, QString> owner;
        const auto add = [&](const QString &id) {
            const auto name = TraefikLabels::routerName(id);
            QVERIFY2(name.ok(), qPrintable(id));
            QVERIFY2(safe.match(name.value()).hasMatch(), qPrintable(name.value()));
            QVERIFY2(
                !owner.contains(name.value()),
                qPrintable(id + u" and " + owner.value(name.value()) + u" share " + name.value()));
            owner.insert(name.value(), id);

            TraefikRoute r = route();
            r.boxId = id;
            const auto labels = TraefikLabels::generate(r);
            QVERIFY2(labels.ok(), qPrintable(id));
            const QString router = u"traefik.http.routers." + name.value();
            QCOMPARE(labels->value(router + u".service"), name.value());
            QVERIFY(labels->contains(router + u".rule"));
            QVERIFY(labels->contains(u"traefik.http.services." + name.value() +
                                     u".loadbalancer.server.port"));
            for (auto it = labels->cbegin(); it != labels->cend(); ++it) {
                QVERIFY2(bc::security::Validators::validateLabelKey(it.key()).ok(),
                         qPrintable(it.key()));
            }
        };
        const QString fullId = u"7f3a1b2c3d4e"_s + QString(52, u'0');
        const QStringList ids{
            u"alice"_s,          u"box-alice"_s,    u"Alice"_s,   u"ALICE"_s,
            u"box--alice"_s,     u"BOX-alice"_s,    u"alice-"_s,  u"alice_"_s,
            u"alice."_s,         u"a.b"_s,          u"a_b"_s,     u"a-b"_s,
            u"Alice.B"_s,        u"alice_b"_s,      u"alice-b"_s, u"x`) || Host(`y"_s,
            u"x`) || Host(`Y"_s, u"7f3a1b2c3d4e"_s, fullId,       fullId.left(63) + u'1'};
        for (const QString &id : ids) {
            add(id);
        }
        // Every valid box name of two and three characters over a small alphabet.
        const QString first = QStringLiteral("aAz09");
        const QString rest = QStringLiteral("aAZ0-._");
        for (const QChar a : first) {
            for (const QChar b : rest) {
                add(QString(a) + b);
                for (const QChar c : rest)
                    add(QString(a) + b + c);
            }
        }
        // The longest names, differing in one place.
        const QString longest(63, u'a');
        const QStringList longNames{longest, u'A' + longest.mid(1), longest.left(62) + u'Z',
                                    longest.left(62) + u'-',
                                    longest.left(31) + u'.' + longest.mid(32)};
        for (const QString &id : longNames) {
            QVERIFY(bc::security::Validators::validateBoxName(id).ok());
            add(id);
        }
    }

    void rejectsInjection_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("prefix");
        const auto row = [](const char *name, const char *field, const QString &value,
                            const char *prefix) {
            QTest::newRow(name) << QString::fromLatin1(field) << value
                                << QString::fromLatin1(prefix);
        };
        row("backtick rule escape", "subdomain", QStringLiteral("x`) || HostRegexp(`.+"),
            "subdomain");
        row("or", "subdomain", QStringLiteral("a||b"), "subdomain");
        row("parentheses", "subdomain", QStringLiteral("a(b)"), "subdomain");
        row("space", "subdomain", QStringLiteral("a b"), "subdomain");
        row("upper case", "subdomain", QStringLiteral("Alice"), "subdomain");
        row("dot", "subdomain", QStringLiteral("a.b"), "subdomain");
        row("leading dash", "subdomain", QStringLiteral("-a"), "subdomain");
        row("punycode", "subdomain", QStringLiteral("xn--80ak6aa92e"), "subdomain");
        row("reserved", "subdomain", QStringLiteral("traefik"), "subdomain");
        row("empty", "subdomain", QString(), "subdomain");
        row("too long", "subdomain", QString(64, u'a'), "subdomain");
        row("unicode", "subdomain", QStringLiteral("\u0430lice"), "subdomain");
        row("domain backtick", "domain", QStringLiteral("example.com`)"), "domain");
        row("domain single label", "domain", QStringLiteral("localhost"), "domain");
        row("domain upper", "domain", QStringLiteral("Example.com"), "domain");
        row("entrypoint list", "entrypoint", QStringLiteral("web,websecure"), "entrypoint");
        row("entrypoint dot", "entrypoint", QStringLiteral("web.secure"), "entrypoint");
        row("resolver space", "certResolver", QStringLiteral("le x"), "cert resolver");
        row("network space", "network", QStringLiteral("a net"), "network");
        row("network empty", "network", QString(), "network");
        row("middleware comma", "middlewares", QStringLiteral("a,b"), "middlewares");
    }

    void rejectsInjection()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, prefix);
        TraefikRoute r = route();
        if (field == QLatin1String("subdomain"))
            r.subdomain = value;
        else if (field == QLatin1String("domain"))
            r.domain = value;
        else if (field == QLatin1String("entrypoint"))
            r.entrypoint = value;
        else if (field == QLatin1String("certResolver"))
            r.certResolver = value;
        else if (field == QLatin1String("network"))
            r.network = value;
        else
            r.middlewares = {value};
        auto labels = TraefikLabels::generate(r);
        QVERIFY(!labels.ok());
        QCOMPARE(labels.error().kind(), bc::Error::Kind::Invalid);
        QVERIFY2(labels.error().message().startsWith(prefix + u':'),
                 qPrintable(labels.error().message()));
    }

    void rejectsBadNumbers()
    {
        TraefikRoute r = route();
        r.priority = 0;
        QVERIFY(!TraefikLabels::generate(r).ok());
        r = route();
        r.servicePort = 70000;
        QVERIFY(!TraefikLabels::generate(r).ok());
    }
};

QTEST_GUILESS_MAIN(tst_TraefikLabels)
#include "tst_traefiklabels.moc"
