// ctest: labels=gui;coolify timeout=180
// The Settings dialog against a docker CLI context store written here (DOCKER_CONFIG), a
// throw-away settings file and the file secret store: what the dialog lists, what it
// stores, what it refuses, and that BackendFactory connects to what was stored. The Coolify
// group is driven against the fake Coolify (tests/support/coolify): Test connection, the
// server, project and environment pickers, and the settings keys CoolifyConfig reads.
#include "core/boxes/backendfactory.h"
#include "core/boxes/boxbackend.h"
#include "core/boxes/consolesettings.h"
#include "core/docker/endpointresolver.h"
#include "core/infra/egresspolicy.h"
#include "core/util/secretstore.h"
#include "support/coolify/fakecoolify.h"
#include "support/testutil.h"
#include "ui/models/endpointmodel.h"
#include "ui/settingsdialog.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace bc;
using boxes::BackendFactory;
using boxes::ConsoleSettings;
using ui::EndpointModel;
using ui::SettingsDialog;

using bc::test::writeFile;

namespace {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A context as `docker context create` stores it.
void addContext(const QString &configDir, const QString &name, const QString &host,
                const QString &description)
{
    const nlohmann::json meta = {{"Name", name.toStdString()},
                                 {"Metadata", {{"Description", description.toStdString()}}},
                                 {"Endpoints", {{"docker", {{"Host", host.toStdString()}}}}}};
    writeFile(configDir + u"/contexts/meta/" + docker::EndpointResolver::contextHash(name) +
                  u"/meta.json",
              QByteArray::fromStdString(meta.dump()));
}

int rowOfContext(const EndpointModel *m, const QString &name)
{
    return m->rowOfContext(name);
}

} // namespace

class tst_SettingsDialog final : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_home;   // XDG_CONFIG_HOME: the secret store's file lives here
    QTemporaryDir m_docker; // DOCKER_CONFIG: the context store
    QTemporaryDir m_work;   // settings files, policy files, socket directories
    int m_settingsCount = 0;
    test::FakeCoolify m_fake;

    static void typeInto(QLineEdit *edit, const QString &text)
    {
        edit->setFocus();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
    }

    static QStringList itemTexts(const QComboBox *combo)
    {
        QStringList out;
        for (int i = 0; i < combo->count(); ++i)
            out << combo->itemText(i);
        return out;
    }

    // Clicks Test connection and waits for the verdict and, on success, the listings.
    static bool testConnection(SettingsDialog &d)
    {
        QSignalSpy tested(&d, &SettingsDialog::coolifyTested);
        QTest::mouseClick(d.coolifyTestButton(), Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return tested.count() > 0; }, 15000))
            qFatal("Test connection never reported");
        const bool ok = tested.first().first().toBool();
        if (ok && !QTest::qWaitFor([&] { return !d.isTestingCoolify(); }, 15000))
            qFatal("the Coolify listings never finished");
        return ok;
    }

    std::unique_ptr<ConsoleSettings> freshSettings(QString *path = nullptr)
    {
        const QString file =
            m_work.filePath(QStringLiteral("settings-%1.ini").arg(++m_settingsCount));
        if (path)
            *path = file;
        return std::make_unique<ConsoleSettings>(file);
    }

    // Shown (so inline errors are really visible) and with the context listing in.
    std::unique_ptr<SettingsDialog> openDialog(ConsoleSettings *settings)
    {
        auto d = std::make_unique<SettingsDialog>(nullptr, settings);
        d->show();
        if (!QTest::qWaitForWindowExposed(d.get()))
            qWarning("dialog not exposed");
        return d;
    }

    static bool applyAndWait(SettingsDialog &d)
    {
        QSignalSpy spy(&d, &SettingsDialog::applied);
        d.apply();
        if (!QTest::qWaitFor([&] { return spy.count() > 0; }, 10000))
            qFatal("apply() never reported");
        return spy.first().first().toBool();
    }

    QString validPolicyFile()
    {
        const QString path = m_work.filePath(QStringLiteral("policy-ok.json"));
        writeFile(path,
                  QByteArray::fromStdString(infra::EgressPolicy::defaultPolicy().toJson().dump(2)));
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid() && m_docker.isValid() && m_work.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
        qputenv("BOX_SECRET_STORE", "file");
        qputenv("DOCKER_CONFIG", m_docker.path().toUtf8());
        for (const char *v :
             {"DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_TLS",
              "DOCKER_CERT_PATH", "BOX_EGRESS_POLICY", "BOX_EGRESS_SOCKET_DIR", "DEPLOY_MODE",
              "COOLIFY_URL", "COOLIFY_TOKEN", "COOLIFY_API_TOKEN", "COOLIFY_SERVER_UUID",
              "COOLIFY_PROJECT_UUID", "COOLIFY_ENV_NAME", "COOLIFY_ENV_UUID",
              "COOLIFY_EGRESS_SOCKET_ROOT", "COOLIFY_EGRESS_GROUP_ID", "COOLIFY_API_PATH"})
            qunsetenv(v);
        QVERIFY2(m_fake.start(), "python3 or the fake Coolify script is missing");

        const QString d = m_docker.path();
        addContext(d, QStringLiteral("alpha"), QStringLiteral("tcp://alpha.example.com:2376"),
                   QStringLiteral("build farm"));
        // TLS material as `docker context create --docker ca=…` stores it.
        writeFile(d + u"/contexts/tls/" +
                      docker::EndpointResolver::contextHash(QStringLiteral("alpha")) +
                      u"/docker/ca.pem",
                  "not parsed before connecting");
        addContext(d, QStringLiteral("prod"), QStringLiteral("ssh://ops@prod.example.com"),
                   QStringLiteral("production"));
        writeFile(d + u"/contexts/meta/0badc0ffee/meta.json", "{ this is not json");
        writeFile(d + u"/config.json", R"({"currentContext": "prod"})");
    }

    void listsDiscoveredContextsWithCurrentMarked()
    {
        auto settings = freshSettings();
        auto d = openDialog(settings.get());
        EndpointModel *m = d->endpoints();
        QAbstractItemModelTester tester(m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY(d->contextsLoaded());

        // alpha, default, prod by name, then the unreadable one.
        QCOMPARE(m->rowCount(), 4);
        const int alpha = rowOfContext(m, QStringLiteral("alpha"));
        const int def = rowOfContext(m, QStringLiteral("default"));
        const int prod = rowOfContext(m, QStringLiteral("prod"));
        QCOMPARE(alpha, 0);
        QCOMPARE(def, 1);
        QCOMPARE(prod, 2);
        QCOMPARE(m->index(alpha, EndpointModel::UrlColumn).data().toString(),
                 QStringLiteral("tcp://alpha.example.com:2376"));
        QCOMPARE(m->index(def, EndpointModel::UrlColumn).data().toString(),
                 QStringLiteral("unix:///var/run/docker.sock"));
        QCOMPARE(m->index(alpha, EndpointModel::NameColumn).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("build farm"));

        // The current context is marked, and with nothing stored it is the one in use.
        QVERIFY(m->index(prod, 0).data(EndpointModel::CurrentRole).toBool());
        QVERIFY(!m->index(alpha, 0).data(EndpointModel::CurrentRole).toBool());
        QVERIFY(m->index(prod, EndpointModel::SourceColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("current")));
        QVERIFY(m->index(alpha, EndpointModel::SourceColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("context")));
        QCOMPARE(m->index(prod, EndpointModel::EnabledColumn).data(Qt::CheckStateRole).toInt(),
                 int(Qt::Checked));
        QCOMPARE(m->index(alpha, EndpointModel::EnabledColumn).data(Qt::CheckStateRole).toInt(),
                 int(Qt::Unchecked));
        QVERIFY(m->flags(m->index(alpha, EndpointModel::EnabledColumn)) & Qt::ItemIsUserCheckable);

        // A broken meta.json is one row with its error, not a failed list.
        const QModelIndex broken = m->index(3, EndpointModel::SourceColumn);
        QVERIFY2(broken.data().toString().contains(QStringLiteral("not valid JSON")),
                 qPrintable(broken.data().toString()));
        QVERIFY(!(m->flags(m->index(3, EndpointModel::EnabledColumn)) & Qt::ItemIsUserCheckable));
        QVERIFY(!m->setData(m->index(3, EndpointModel::EnabledColumn), Qt::Checked,
                            Qt::CheckStateRole));
        QVERIFY(d->endpointErrorLabel()->isHidden());

        // Opening and applying without a change keeps following the docker CLI.
        QVERIFY(applyAndWait(*d));
        QVERIFY(settings->followsDockerCli());
    }

    void enablingAContextStoresItAndTheFactoryConnectsToIt()
    {
        QString path;
        auto settings = freshSettings(&path);
        auto d = openDialog(settings.get());
        EndpointModel *m = d->endpoints();
        QAbstractItemModelTester tester(m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY(d->contextsLoaded());
        const int alpha = rowOfContext(m, QStringLiteral("alpha"));
        QSignalSpy changed(m, &QAbstractItemModel::dataChanged);
        QVERIFY(m->setData(m->index(alpha, EndpointModel::EnabledColumn), Qt::Checked,
                           Qt::CheckStateRole));
        QCOMPARE(changed.count(), 1);
        QVERIFY(applyAndWait(*d));

        // Table order: alpha first, so new Docker boxes go there.
        QCOMPARE(settings->dockerContexts(),
                 (QStringList{QStringLiteral("alpha"), QStringLiteral("prod")}));
        QVERIFY(settings->dockerEndpoints().isEmpty());
        ConsoleSettings reread(path);
        QCOMPARE(reread.dockerContexts(), settings->dockerContexts());

        BackendFactory factory(reread);
        QStringList warnings;
        const auto endpoints = factory.dockerEndpoints(&warnings);
        QVERIFY2(endpoints.ok(),
                 qPrintable(endpoints.ok() ? QString() : endpoints.error().toString()));
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
        QCOMPARE(endpoints->size(), 2);
        const http::Endpoint &a = endpoints->at(0);
        QCOMPARE(a.transport, http::Endpoint::Transport::Tcp);
        QCOMPARE(a.host, QStringLiteral("alpha.example.com"));
        QCOMPARE(a.port, quint16(2376));
        // The context's TLS store applies: TLS on, verified, with its CA.
        QVERIFY(a.tls);
        QVERIFY(a.tlsVerify);
        QVERIFY(a.caFile.endsWith(QStringLiteral("/docker/ca.pem")));
        QCOMPARE(endpoints->at(1).toUrl(), QStringLiteral("ssh://ops@prod.example.com"));

        QObject owner;
        const QList<boxes::BoxBackend *> backends = factory.createAll(&owner, &warnings);
        QStringList dockerHosts;
        for (boxes::BoxBackend *b : backends) {
            if (b->kind() == QLatin1String("docker"))
                dockerHosts << b->displayHost();
        }
        // Known by their context names, with the address beside.
        QCOMPARE(dockerHosts, (QStringList{QStringLiteral("alpha (tcp://alpha.example.com:2376)"),
                                           QStringLiteral("prod (ssh://ops@prod.example.com)")}));
        auto target = factory.createForMode(QStringLiteral("docker"), &owner);
        QVERIFY(target.ok());
        QCOMPARE(target.value()->displayHost(),
                 QStringLiteral("alpha (tcp://alpha.example.com:2376)"));
        // The name is for display: the backend's identity is the engine's address.
        QCOMPARE(target.value()->id(), QStringLiteral("docker:tcp://alpha.example.com:2376"));

        // Reopened, the dialog shows exactly what is stored.
        auto again = openDialog(&reread);
        QTRY_VERIFY(again->contextsLoaded());
        QCOMPARE(again->endpoints()->enabledContexts(), reread.dockerContexts());
    }

    void addingValidatesAndRejectsDuplicates()
    {
        QString path;
        auto settings = freshSettings(&path);
        auto d = openDialog(settings.get());
        EndpointModel *m = d->endpoints();
        QAbstractItemModelTester tester(m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY(d->contextsLoaded());
        const int rows = m->rowCount();

        // Typed and confirmed with Enter, as a user does.
        QTest::keyClicks(d->newEndpointEdit(), QStringLiteral("tcp://build-1.example.com:2376"));
        QTest::keyClick(d->newEndpointEdit(), Qt::Key_Return);
        QCOMPARE(m->rowCount(), rows + 1);
        QVERIFY(d->newEndpointEdit()->text().isEmpty());
        QVERIFY(d->endpointErrorLabel()->isHidden());
        const int added = m->rowOf(QStringLiteral("tcp://build-1.example.com:2376"));
        QCOMPARE(added, rows); // after the contexts
        QVERIFY(m->index(added, 0).data(EndpointModel::UserAddedRole).toBool());
        QCOMPARE(m->index(added, EndpointModel::EnabledColumn).data(Qt::CheckStateRole).toInt(),
                 int(Qt::Checked));

        struct Bad
        {
            QString url;
            QString expected;
        };
        const QList<Bad> bad{
            {QStringLiteral("ftp://x"), QStringLiteral("unix://")},
            {QStringLiteral("build-1.example.com:2376"), QStringLiteral("not an engine address")},
            {QStringLiteral("tcp://h:99999"), QStringLiteral("invalid port")},
            {QStringLiteral("ssh://"), QStringLiteral("no host")},
            {QStringLiteral("tcp://admin:hunter2@h:2376"), QStringLiteral("password")},
            {QStringLiteral(""), QStringLiteral("Type an engine address")},
            // Duplicates, also spelled differently.
            {QStringLiteral("tcp://build-1.example.com:2376"),
             QStringLiteral("already in the list")},
            {QStringLiteral("tcp://build-1.example.com:2376/"),
             QStringLiteral("already in the list")},
            {QStringLiteral("tcp://alpha.example.com:2376"), QStringLiteral("“alpha”")},
            {QStringLiteral("unix://"), QStringLiteral("“default”")},
        };
        for (const Bad &b : bad) {
            QString error;
            QVERIFY2(!d->addEndpoint(b.url, &error), qPrintable(b.url));
            QVERIFY2(error.contains(b.expected), qPrintable(b.url + u" -> " + error));
            QVERIFY(d->endpointErrorLabel()->isVisible());
            QCOMPARE(d->endpointErrorLabel()->text(), error);
            QCOMPARE(m->rowCount(), rows + 1);
        }
        // A rejected address never reaches the settings, not even the password one.
        QVERIFY(applyAndWait(*d));
        QCOMPARE(settings->dockerEndpoints(),
                 QStringList{QStringLiteral("tcp://build-1.example.com:2376")});
        QVERIFY(!readFile(path).contains("hunter2"));
        // The context selection is stored with it: the CLI's current one stays in use.
        QCOMPARE(settings->dockerContexts(), QStringList{QStringLiteral("prod")});
    }

    void removingAnAddedEndpoint()
    {
        auto settings = freshSettings();
        settings->setDockerEndpoints({QStringLiteral("ssh://ops@build-2.example.com"),
                                      QStringLiteral("tcp://build-3.example.com:2376")});
        settings->setDockerContexts({QStringLiteral("alpha")});
        auto d = openDialog(settings.get());
        EndpointModel *m = d->endpoints();
        QAbstractItemModelTester tester(m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY(d->contextsLoaded());
        // Stored choices shown: alpha ticked, prod (current) not, both added ones listed.
        QCOMPARE(m->enabledContexts(), QStringList{QStringLiteral("alpha")});
        QCOMPARE(m->addedUrls().size(), 2);

        // A context cannot be removed, only unticked.
        const int rows = m->rowCount();
        QVERIFY(!d->removeEndpoint(rowOfContext(m, QStringLiteral("alpha"))));
        QVERIFY(d->endpointErrorLabel()->isVisible());
        QVERIFY(d->endpointErrorLabel()->text().contains(QStringLiteral("docker CLI context")));
        QCOMPARE(m->rowCount(), rows);

        // Removed through the view's selection and the Remove button's slot.
        const int row = m->rowOf(QStringLiteral("ssh://ops@build-2.example.com"));
        d->endpointView()->setCurrentIndex(m->index(row, EndpointModel::UrlColumn));
        QSignalSpy removed(m, &QAbstractItemModel::rowsRemoved);
        QVERIFY(d->removeEndpoint(d->endpointView()->currentIndex().row()));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(m->rowOf(QStringLiteral("ssh://ops@build-2.example.com")), -1);
        QVERIFY(d->endpointErrorLabel()->isHidden());
        QVERIFY(applyAndWait(*d));
        QCOMPARE(settings->dockerEndpoints(),
                 QStringList{QStringLiteral("tcp://build-3.example.com:2376")});
        QCOMPARE(settings->dockerContexts(), QStringList{QStringLiteral("alpha")});

        // Unticking and removing everything returns to following the docker CLI.
        QVERIFY(m->setData(
            m->index(rowOfContext(m, QStringLiteral("alpha")), EndpointModel::EnabledColumn),
            Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY(d->removeEndpoint(m->rowOf(QStringLiteral("tcp://build-3.example.com:2376"))));
        QVERIFY(applyAndWait(*d));
        QVERIFY(settings->followsDockerCli());
    }

    void contextGoneFromTheStoreIsShownAndSkipped()
    {
        auto settings = freshSettings();
        settings->setDockerContexts({QStringLiteral("retired"), QStringLiteral("prod")});
        auto d = openDialog(settings.get());
        EndpointModel *m = d->endpoints();
        QTRY_VERIFY(d->contextsLoaded());
        const int row = rowOfContext(m, QStringLiteral("retired"));
        QVERIFY(row >= 0);
        QVERIFY(m->index(row, 0)
                    .data(EndpointModel::ErrorRole)
                    .toString()
                    .contains(QStringLiteral("not in the docker CLI's context store")));
        // Still ticked (that is what is stored) and can be unticked to forget it.
        QVERIFY(m->flags(m->index(row, EndpointModel::EnabledColumn)) & Qt::ItemIsUserCheckable);

        // The main window's factory skips it with a warning and keeps the other.
        BackendFactory factory(*settings);
        QStringList warnings;
        const auto endpoints = factory.dockerEndpoints(&warnings);
        QVERIFY(endpoints.ok());
        QCOMPARE(endpoints->size(), 1);
        QCOMPARE(endpoints->first().toUrl(), QStringLiteral("ssh://ops@prod.example.com"));
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings.first().contains(QStringLiteral("retired")),
                 qPrintable(warnings.first()));

        QVERIFY(m->setData(m->index(row, EndpointModel::EnabledColumn), Qt::Unchecked,
                           Qt::CheckStateRole));
        QVERIFY(applyAndWait(*d));
        QCOMPARE(settings->dockerContexts(), QStringList{QStringLiteral("prod")});
    }

    void coolifyTokenGoesToTheSecretStoreOnly()
    {
        const QString token = QStringLiteral("42|s3cr3t-t0ken-value");
        QString path;
        auto settings = freshSettings(&path);
        QVERIFY(test::await(util::SecretStore::remove(QStringLiteral("coolify-token"))).ok());
        auto d = openDialog(settings.get());
        QTRY_VERIFY(d->contextsLoaded());
        QVERIFY(!d->tokenEdit()->placeholderText().contains(QStringLiteral("is stored")));
        d->coolifyUrlEdit()->setText(QStringLiteral("https://coolify.example.com"));
        QTest::keyClicks(d->tokenEdit(), token);
        QCOMPARE(d->tokenEdit()->echoMode(), QLineEdit::Password);
        QVERIFY(applyAndWait(*d));

        const auto stored = test::await(util::SecretStore::read(QStringLiteral("coolify-token")));
        QVERIFY(stored.ok());
        QCOMPARE(stored.value(), token);
        QVERIFY(d->tokenEdit()->text().isEmpty());
        QVERIFY(d->tokenEdit()->placeholderText().contains(QStringLiteral("is stored")));
        QCOMPARE(settings->coolifyUrl(), QStringLiteral("https://coolify.example.com"));
        const QByteArray ini = readFile(path);
        QVERIFY(ini.contains("coolify.example.com"));
        QVERIFY(!ini.contains("s3cr3t"));

        // A new dialog never shows it either: empty field, "stored" placeholder.
        auto again = openDialog(settings.get());
        QTRY_VERIFY(again->tokenEdit()->placeholderText().contains(QStringLiteral("is stored")));
        QVERIFY(again->tokenEdit()->text().isEmpty());
        // Nothing in the dialog's widgets holds the token's text.
        for (const QLineEdit *e : again->findChildren<QLineEdit *>())
            QVERIFY(!e->text().contains(QStringLiteral("s3cr3t")));
        for (const QLabel *l : again->findChildren<QLabel *>())
            QVERIFY(!l->text().contains(QStringLiteral("s3cr3t")));

        // An invalid URL blocks the whole apply: the token is not replaced either.
        again->coolifyUrlEdit()->setText(QStringLiteral("http://coolify.example.com"));
        QTest::keyClicks(again->tokenEdit(), QStringLiteral("99|other"));
        QVERIFY(!applyAndWait(*again));
        QCOMPARE(test::await(util::SecretStore::read(QStringLiteral("coolify-token"))).value(),
                 token);
        QCOMPARE(settings->coolifyUrl(), QStringLiteral("https://coolify.example.com"));
    }

    void brokenPolicyFileIsRefusedAndNothingStored()
    {
        QString path;
        auto settings = freshSettings(&path);
        const QString good = validPolicyFile();
        settings->setEgressPolicyFile(good);
        settings->setStatsIntervalMs(7000);
        settings->sync();
        const QByteArray before = readFile(path);

        struct Case
        {
            QByteArray content;
            QString expected;
        };
        nlohmann::json badName = infra::EgressPolicy::defaultPolicy().toJson();
        badName["upstreams"][0]["name"] = "Bad Name";
        nlohmann::json injected = infra::EgressPolicy::defaultPolicy().toJson();
        injected["upstreams"][0]["host"] = "api.example.com\n  server evil 1.2.3.4:443";
        const QList<Case> cases{
            {"{ \"upstreams\": [", QStringLiteral("not valid JSON")},
            {R"({"upstreams": []})", QStringLiteral("at least one upstream")},
            {QByteArray::fromStdString(badName.dump()), QStringLiteral("upstreams[0].name")},
            {QByteArray::fromStdString(injected.dump()), QStringLiteral("upstreams[0].host")},
        };
        int n = 0;
        for (const Case &c : cases) {
            const QString bad = m_work.filePath(QStringLiteral("policy-bad-%1.json").arg(++n));
            writeFile(bad, c.content);
            auto d = openDialog(settings.get());
            QCOMPARE(d->policyFileEdit()->text(), good);
            d->policyFileEdit()->setText(bad);
            // Another field edited in the same apply must not be stored either.
            for (QSpinBox *s : d->findChildren<QSpinBox *>()) {
                if (s->value() == 7)
                    s->setValue(9);
            }
            QVERIFY(!applyAndWait(*d));
            QVERIFY(d->policyFileErrorLabel()->isVisible());
            QVERIFY2(d->policyFileErrorLabel()->text().contains(c.expected),
                     qPrintable(d->policyFileErrorLabel()->text()));
            QVERIFY(d->isVisible()); // still open for a fix
            // All or nothing: neither the policy nor the other edited field was written.
            QCOMPARE(readFile(path), before);
            QCOMPARE(settings->egressPolicyFile(), good);
            QCOMPARE(settings->statsIntervalMs(), 7000);
            // Editing the field clears the stale error.
            d->policyFileEdit()->setText(good);
            QVERIFY(d->policyFileErrorLabel()->isHidden());
        }

        auto d = openDialog(settings.get());
        d->policyFileEdit()->setText(QStringLiteral("relative/policy.json"));
        QVERIFY(!applyAndWait(*d));
        QVERIFY(d->policyFileErrorLabel()->text().contains(QStringLiteral("absolute")));
        d->policyFileEdit()->setText(m_work.filePath(QStringLiteral("missing.json")));
        QVERIFY(!applyAndWait(*d));
        QVERIFY(d->policyFileErrorLabel()->text().contains(QStringLiteral("cannot read")));
        QCOMPARE(readFile(path), before);
    }

    void validPolicyFileIsStoredAndItsSourceShown()
    {
        auto settings = freshSettings();
        const QString good = validPolicyFile();
        auto d = openDialog(settings.get());
        QVERIFY(d->policyFileEdit()->text().isEmpty());
        QVERIFY(d->policyFileSourceLabel()->text().contains(QStringLiteral("BOX_EGRESS_POLICY")));
        d->policyFileEdit()->setText(good);
        QVERIFY(d->policyFileSourceLabel()->text().contains(QStringLiteral("this setting")));
        QVERIFY(applyAndWait(*d));
        QVERIFY(d->policyFileErrorLabel()->isHidden());
        QCOMPARE(settings->egressPolicyFile(), good);
        QCOMPARE(settings->egressPolicyFileSource(), QStringLiteral("setting"));
        QCOMPARE(BackendFactory(*settings).deployOptions().egressPolicyFile, good);
    }

    void environmentFallbackIsShownNotCopied()
    {
        auto settings = freshSettings();
        const QString fromEnv = validPolicyFile();
        qputenv("BOX_EGRESS_POLICY", fromEnv.toUtf8());
        qputenv("BOX_EGRESS_SOCKET_DIR", m_work.path().toUtf8());
        auto d = openDialog(settings.get());
        QVERIFY(d->policyFileEdit()->text().isEmpty());
        QVERIFY2(d->policyFileSourceLabel()->text().contains(QStringLiteral("environment")),
                 qPrintable(d->policyFileSourceLabel()->text()));
        QVERIFY(d->policyFileSourceLabel()->text().contains(fromEnv));
        QVERIFY(
            d->socketDirSourceLabel()->text().contains(QStringLiteral("BOX_EGRESS_SOCKET_DIR")));
        QVERIFY(applyAndWait(*d));
        QCOMPARE(settings->egressPolicyFileSource(), QStringLiteral("environment"));
        QCOMPARE(settings->proxySocketDirSource(), QStringLiteral("environment"));
        // A value typed here overrides the environment, and says so.
        d->socketDirEdit()->setText(m_work.path());
        QVERIFY(d->socketDirSourceLabel()->text().contains(QStringLiteral("overrides")));
        qunsetenv("BOX_EGRESS_POLICY");
        qunsetenv("BOX_EGRESS_SOCKET_DIR");
    }

    void proxySocketDirMustBeAnExistingDirectory()
    {
        QString path;
        auto settings = freshSettings(&path);
        settings->sync();
        const QByteArray before = readFile(path);
        auto d = openDialog(settings.get());

        d->socketDirEdit()->setText(m_work.filePath(QStringLiteral("no-such-dir")));
        QVERIFY(!applyAndWait(*d));
        QVERIFY(d->socketDirErrorLabel()->isVisible());
        QVERIFY(d->socketDirErrorLabel()->text().contains(QStringLiteral("does not exist")));
        QVERIFY(settings->proxySocketDir().isEmpty());

        const QString file = m_work.filePath(QStringLiteral("a-file"));
        writeFile(file, "x");
        d->socketDirEdit()->setText(file);
        QVERIFY(!applyAndWait(*d));
        QVERIFY(d->socketDirErrorLabel()->text().contains(QStringLiteral("not a directory")));
        QCOMPARE(readFile(path), before);

        const QString dir = m_work.filePath(QStringLiteral("sockets"));
        QVERIFY(QDir().mkpath(dir));
        d->socketDirEdit()->setText(dir);
        QVERIFY(applyAndWait(*d));
        QVERIFY(d->socketDirErrorLabel()->isHidden());
        QCOMPARE(settings->proxySocketDir(), dir);
        QCOMPARE(settings->proxySocketDirSource(), QStringLiteral("setting"));
    }

    void okClosesOnlyAfterASuccessfulApply()
    {
        auto settings = freshSettings();
        auto d = openDialog(settings.get());
        d->socketDirEdit()->setText(m_work.filePath(QStringLiteral("no-such-dir")));
        QSignalSpy finished(d.get(), &QDialog::finished);
        QSignalSpy applied(d.get(), &SettingsDialog::applied);
        d->accept();
        QTRY_COMPARE(applied.count(), 1);
        QVERIFY(d->isVisible());
        QCOMPARE(finished.count(), 0);
        d->socketDirEdit()->clear();
        d->accept();
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(d->result(), int(QDialog::Accepted));
    }
    void coolifyTestConnectionShowsTheVersion()
    {
        m_fake.control(QStringLiteral("reset"));
        auto settings = freshSettings();
        auto d = openDialog(settings.get());
        // Nothing typed: says what is missing, asks nothing.
        QVERIFY(!testConnection(*d));
        QCOMPARE(d->coolifyTestLabel()->text(), QStringLiteral("Type the Coolify URL first."));

        typeInto(d->coolifyUrlEdit(), m_fake.url().toString());
        typeInto(d->tokenEdit(), QStringLiteral("5|rwd"));
        QVERIFY2(testConnection(*d), qPrintable(d->coolifyTestLabel()->text()));
        QCOMPARE(d->coolifyTestLabel()->text(),
                 QStringLiteral("Connected: Coolify 4.3.11, token accepted."));
        QVERIFY(d->coolifyTestLabel()->isVisible());
        // The typed token stays in its password field: never echoed anywhere.
        QVERIFY(!d->coolifyTestLabel()->text().contains(QStringLiteral("rwd")));
    }

    void coolifyWrongTokenAndDisabledApiAreShown()
    {
        m_fake.control(QStringLiteral("reset"));
        auto settings = freshSettings();
        auto d = openDialog(settings.get());
        typeInto(d->coolifyUrlEdit(), m_fake.url().toString());
        typeInto(d->tokenEdit(), QStringLiteral("9|expired"));
        QVERIFY(!testConnection(*d));
        const QString refused = d->coolifyTestLabel()->text();
        QVERIFY2(refused.contains(QStringLiteral("401")) &&
                     refused.contains(QStringLiteral("Unauthenticated")),
                 qPrintable(refused));
        QVERIFY2(!refused.contains(QStringLiteral("9|expired")), qPrintable(refused));
        QCOMPARE(d->coolifyServerCombo()->count(), 0); // nothing listed with a refused token

        m_fake.control(QStringLiteral("api_disabled"), {{QStringLiteral("disabled"), true}});
        typeInto(d->tokenEdit(), QStringLiteral("5|rwd"));
        QVERIFY(!testConnection(*d));
        const QString disabled = d->coolifyTestLabel()->text();
        QVERIFY2(disabled.contains(QStringLiteral("403")) &&
                     disabled.contains(QStringLiteral("API is disabled")),
                 qPrintable(disabled));
        m_fake.control(QStringLiteral("api_disabled"), {{QStringLiteral("disabled"), false}});

        // Nothing answers there at all.
        m_fake.stop();
        QVERIFY(!testConnection(*d));
        QVERIFY2(
            d->coolifyTestLabel()->text().startsWith(QStringLiteral("Coolify does not answer")),
            qPrintable(d->coolifyTestLabel()->text()));
        QVERIFY(m_fake.start());
    }

    void coolifyPickersAreStoredOnOk()
    {
        m_fake.control(QStringLiteral("reset"));
        QString path;
        auto settings = freshSettings(&path);
        auto d = openDialog(settings.get());
        QVERIFY2(d->coolifyTestLabel()->text().contains(QStringLiteral("not set")),
                 qPrintable(d->coolifyTestLabel()->text()));
        typeInto(d->coolifyUrlEdit(), m_fake.url().toString());
        typeInto(d->tokenEdit(), QStringLiteral("5|rwd"));
        QVERIFY(testConnection(*d));
        // Usable, reachable, non-build servers only; why the others are missing is said.
        QCOMPARE(itemTexts(d->coolifyServerCombo()),
                 QStringList{QStringLiteral("main (10.0.0.5)")});
        QVERIFY(d->coolifyServerNoteLabel()->isVisible());
        QCOMPARE(d->coolifyServerNoteLabel()->text(),
                 QStringLiteral("Not offered: builder (build server), offline (not reachable)."));
        QCOMPARE(itemTexts(d->coolifyProjectCombo()),
                 (QStringList{QStringLiteral("boxes"), QStringLiteral("other")}));
        QCOMPARE(itemTexts(d->coolifyEnvironmentCombo()),
                 (QStringList{QStringLiteral("production"), QStringLiteral("staging")}));
        QCOMPARE(d->coolifyEnvironmentCombo()->currentText(), QStringLiteral("production"));

        // Another project: its environments are listed.
        QComboBox *project = d->coolifyProjectCombo();
        project->setFocus();
        QTest::keyClick(project, Qt::Key_Down);
        QCOMPARE(project->currentText(), QStringLiteral("other"));
        QTRY_VERIFY(!d->isTestingCoolify());
        QTRY_COMPARE(itemTexts(d->coolifyEnvironmentCombo()),
                     QStringList{QStringLiteral("production")});
        QCOMPARE(d->coolifyEnvironmentCombo()->currentData().toString(),
                 QStringLiteral("env-other"));
        // And back, then staging.
        QTest::keyClick(project, Qt::Key_Up);
        QTRY_VERIFY(!d->isTestingCoolify());
        QTRY_COMPARE(d->coolifyEnvironmentCombo()->count(), 2);
        QComboBox *env = d->coolifyEnvironmentCombo();
        env->setFocus();
        QTest::keyClick(env, Qt::Key_Down);
        QCOMPARE(env->currentText(), QStringLiteral("staging"));
        typeInto(d->coolifyEgressRootEdit(), QStringLiteral("/run/box-egress"));
        QSpinBox *group = d->coolifyEgressGroupSpin();
        group->setFocus();
        group->selectAll();
        QTest::keyClicks(group, QStringLiteral("2000"));
        QCOMPARE(group->value(), 2000);

        QSignalSpy finished(d.get(), &QDialog::finished);
        QTest::mouseClick(d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QCOMPARE(d->result(), int(QDialog::Accepted));

        QSettings stored(path, QSettings::IniFormat);
        QCOMPARE(stored.value(QStringLiteral("coolify/url")).toString(), m_fake.url().toString());
        QCOMPARE(stored.value(QStringLiteral("coolify/server")).toString(),
                 QStringLiteral("srv-main"));
        QCOMPARE(stored.value(QStringLiteral("coolify/project")).toString(),
                 QStringLiteral("proj-boxes"));
        QCOMPARE(stored.value(QStringLiteral("coolify/environment")).toString(),
                 QStringLiteral("staging"));
        QCOMPARE(stored.value(QStringLiteral("coolify/environment_uuid")).toString(),
                 QStringLiteral("env-staging"));
        QCOMPARE(stored.value(QStringLiteral("coolify/egress_socket_root")).toString(),
                 QStringLiteral("/run/box-egress"));
        QCOMPARE(stored.value(QStringLiteral("coolify/egress_group_id")).toInt(), 2000);
        // The token went to the secret store, not the settings file.
        QVERIFY(!readFile(path).contains("rwd"));
        QCOMPARE(test::await(util::SecretStore::read(QStringLiteral("coolify-token"))).value(),
                 QStringLiteral("5|rwd"));

        // Reopened: what is stored is shown (marked unchecked) and kept by a plain OK.
        auto again = openDialog(settings.get());
        QVERIFY(again->tokenEdit()->text().isEmpty());
        QVERIFY(again->coolifyServerCombo()->currentText().startsWith(QStringLiteral("srv-main")));
        QCOMPARE(again->coolifyEnvironmentCombo()->currentText(), QStringLiteral("staging"));
        QCOMPARE(again->coolifyEgressGroupSpin()->value(), 2000);
        QVERIFY(applyAndWait(*again));
        QSettings kept(path, QSettings::IniFormat);
        QCOMPARE(kept.value(QStringLiteral("coolify/server")).toString(),
                 QStringLiteral("srv-main"));
        QCOMPARE(kept.value(QStringLiteral("coolify/environment_uuid")).toString(),
                 QStringLiteral("env-staging"));
    }

    void coolifyEgressRootMustBeAbsolute()
    {
        auto settings = freshSettings();
        auto d = openDialog(settings.get());
        typeInto(d->coolifyEgressRootEdit(), QStringLiteral("run/box-egress"));
        QVERIFY(!applyAndWait(*d));
        QVERIFY(d->coolifyPickerErrorLabel()->isVisible());
        QVERIFY(d->coolifyPickerErrorLabel()->text().contains(QStringLiteral("absolute")));
        QVERIFY(!settings->raw().contains(QStringLiteral("coolify/egress_socket_root")));
    }
};

QTEST_MAIN(tst_SettingsDialog)
#include "tst_settingsdialog.moc"
