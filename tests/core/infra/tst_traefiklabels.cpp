#include "core/infra/traefiklabels.h"

#include <QTest>

using namespace bc::infra;

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
        QCOMPARE(TraefikLabels::routerName(QStringLiteral("box-7f3a")).value(),
                 QStringLiteral("box-7f3a"));
        const QString full = QStringLiteral("7f3a1b2c3d4e") + QString(52, u'0');
        QCOMPARE(TraefikLabels::routerName(full).value(), QStringLiteral("box-7f3a1b2c3d4e"));
        // Changed by sanitising: a hash keeps "a.b" and "a_b" apart.
        const QString dotted = TraefikLabels::routerName(QStringLiteral("Alice.B")).value();
        const QString underscored = TraefikLabels::routerName(QStringLiteral("alice_b")).value();
        QVERIFY(dotted.startsWith(QLatin1String("box-alice-b-")));
        QVERIFY(underscored.startsWith(QLatin1String("box-alice-b-")));
        QVERIFY(dotted != underscored);
        for (const QString &n : {dotted, underscored})
            QVERIFY(QRegularExpression(QStringLiteral("\\Abox-[a-z0-9-]+\\z")).match(n).hasMatch());
        const QString evil = TraefikLabels::routerName(QStringLiteral("x`) || Host(`y")).value();
        QVERIFY(QRegularExpression(QStringLiteral("\\Abox-[a-z0-9-]+\\z")).match(evil).hasMatch());
        QVERIFY(!TraefikLabels::routerName(QStringLiteral("...")).ok());
        QVERIFY(!TraefikLabels::routerName(QString()).ok());
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
