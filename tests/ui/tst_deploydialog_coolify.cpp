// ctest: labels=coolify;gui timeout=180
// A Coolify deploy finished entirely in the GUI, against the fake Coolify
// (tests/support/coolify): Settings' Test connection and pickers store the server, project and
// environment a CoolifyBackend then loads; the Deploy dialog, driven with clicks and keys,
// creates the service there. For a Coolify target the dialog offers only what Coolify can do
// (no routed isolation, with the reason in view; egress only with a socket root), says where
// the box goes, and a missing setting fails at "Coolify settings" with nothing created.
#include "core/boxes/coolifybackend.h"
#include "core/coolify/coolifyconfig.h"
#include "core/util/secretstore.h"
#include "support/coolify/fakecoolify.h"
#include "support/testutil.h"
#include "ui/deploydialog.h"
#include "ui/policyfields.h"
#include "ui/settingsdialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace bc;

namespace {

const QString kToken = QStringLiteral("5|rwd");

void clickButton(QAbstractButton *button)
{
    QVERIFY(button);
    QVERIFY(button->isVisible());
    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
}

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

// Moves a closed combo box with the keyboard until `text` is current; false if never.
bool chooseByKeys(QComboBox *combo, const QString &text)
{
    combo->setFocus();
    QTest::keyClick(combo, Qt::Key_Home);
    for (int i = 0; i <= combo->count(); ++i) {
        if (combo->currentText().startsWith(text))
            return true;
        QTest::keyClick(combo, Qt::Key_Down);
    }
    return combo->currentText().startsWith(text);
}

// For the docs (scripts: BOX_SCREENSHOT_DIR under Xvfb); nothing without the variable.
void saveShot(QWidget *widget, const QString &file)
{
    const QString dir = qEnvironmentVariable("BOX_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(200); // let the last layout pass paint
    QVERIFY(widget->grab().save(dir + QLatin1Char('/') + file));
}

QStringList itemTexts(const QComboBox *combo)
{
    QStringList out;
    for (int i = 0; i < combo->count(); ++i)
        out << combo->itemText(i);
    return out;
}

} // namespace

class tst_DeployDialogCoolify final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void settingsThenDeployCreatesTheService();
    void routedIsNotOfferedWithTheReason();
    void idleStopSaysItCountsFromTheStart();
    void egressOnlyWithASocketRoot();
    void missingServerIsASettingsStepAndNothingIsCreated();
    void failureAfterCreateSaysRolledBack();

private:
    // A Deploy dialog for `backend`, shown, with name and image typed.
    std::unique_ptr<ui::DeployDialog> openDeploy(boxes::CoolifyBackend *backend,
                                                 const QString &name);
    // Clicks Deploy and waits until the job has finished.
    void deployAndWait(ui::DeployDialog &d);
    // The fake's services, keyed by uuid.
    QJsonObject services()
    {
        return m_fake.inspect(QStringLiteral("state"))[u"services"].toObject();
    }
    int serviceCreates();

    test::FakeCoolify m_fake;
    QTemporaryDir m_home;
};

void tst_DeployDialogCoolify::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
    qputenv("BOX_SECRET_STORE", "file");
    for (const char *v :
         {"COOLIFY_URL", "COOLIFY_TOKEN", "COOLIFY_API_TOKEN", "COOLIFY_SERVER_UUID",
          "COOLIFY_PROJECT_UUID", "COOLIFY_ENV_NAME", "COOLIFY_ENV_UUID",
          "COOLIFY_DESTINATION_UUID", "COOLIFY_EGRESS_SOCKET_ROOT", "COOLIFY_EGRESS_GROUP_ID",
          "COOLIFY_API_PATH", "BOX_EGRESS_POLICY", "AGENTS_DOMAIN", "COOLIFY_DOMAIN",
          "DEPLOY_MODE"})
        qunsetenv(v);
    QVERIFY2(m_fake.start(), "python3 or the fake Coolify script is missing");
}

void tst_DeployDialogCoolify::init()
{
    m_fake.control(QStringLiteral("reset"));
}

void tst_DeployDialogCoolify::cleanupTestCase()
{
    m_fake.stop();
}

int tst_DeployDialogCoolify::serviceCreates()
{
    int n = 0;
    for (const QJsonValue &r : m_fake.inspect(QStringLiteral("requests")).array()) {
        const QJsonObject o = r.toObject();
        if (o[u"method"].toString() == u"POST" && o[u"path"].toString() == u"/services")
            ++n;
    }
    return n;
}

std::unique_ptr<ui::DeployDialog>
tst_DeployDialogCoolify::openDeploy(boxes::CoolifyBackend *backend, const QString &name)
{
    auto d = std::make_unique<ui::DeployDialog>(QList<boxes::BoxBackend *>{backend}, backend->id(),
                                                QSet<QString>{});
    d->show();
    if (!QTest::qWaitForWindowExposed(d.get()))
        qWarning("deploy dialog not exposed");
    typeInto(d->nameEdit(), name);
    typeInto(d->imageEdit(), QStringLiteral("bctest/box:latest"));
    return d;
}

void tst_DeployDialogCoolify::deployAndWait(ui::DeployDialog &d)
{
    QVERIFY2(d.isValid(), qPrintable(d.spec() ? QString() : d.spec().error().message()));
    clickButton(d.deployButton());
    QTRY_VERIFY_WITH_TIMEOUT(d.result().has_value(), 30000);
}

void tst_DeployDialogCoolify::settingsThenDeployCreatesTheService()
{
    // Settings: URL and token typed, Test connection, then the pickers.
    {
        ui::SettingsDialog settings;
        settings.show();
        QVERIFY(QTest::qWaitForWindowExposed(&settings));
        typeInto(settings.coolifyUrlEdit(), m_fake.url().toString());
        typeInto(settings.tokenEdit(), kToken);
        QSignalSpy tested(&settings, &ui::SettingsDialog::coolifyTested);
        QSignalSpy listed(&settings, &ui::SettingsDialog::coolifyListed);
        clickButton(settings.coolifyTestButton());
        QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 15000);
        QVERIFY2(tested.first().first().toBool(), qPrintable(settings.coolifyTestLabel()->text()));
        QVERIFY2(settings.coolifyTestLabel()->text().contains(QStringLiteral("Coolify 4.3.11")),
                 qPrintable(settings.coolifyTestLabel()->text()));
        QTRY_VERIFY_WITH_TIMEOUT(!settings.isTestingCoolify() && listed.count() > 0, 15000);
        QTRY_COMPARE(settings.coolifyEnvironmentCombo()->count(), 2);
        // Only a server that can host boxes; the others are named with the reason.
        QCOMPARE(itemTexts(settings.coolifyServerCombo()),
                 QStringList{QStringLiteral("main (10.0.0.5)")});
        QVERIFY(settings.coolifyServerNoteLabel()->text().contains(QStringLiteral("builder")));
        QCOMPARE(itemTexts(settings.coolifyProjectCombo()),
                 (QStringList{QStringLiteral("boxes"), QStringLiteral("other")}));
        QCOMPARE(itemTexts(settings.coolifyEnvironmentCombo()),
                 (QStringList{QStringLiteral("production"), QStringLiteral("staging")}));
        QVERIFY(chooseByKeys(settings.coolifyEnvironmentCombo(), QStringLiteral("staging")));
        for (QGroupBox *group : settings.findChildren<QGroupBox *>()) {
            if (group->title() == QLatin1String("Coolify"))
                saveShot(group, QStringLiteral("settings-coolify.png"));
        }
        QSignalSpy applied(&settings, &ui::SettingsDialog::applied);
        clickButton(settings.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok));
        QTRY_COMPARE_WITH_TIMEOUT(applied.count(), 1, 10000);
        QVERIFY(applied.first().first().toBool());
        QVERIFY(settings.result() == QDialog::Accepted);
    }
    // What CoolifyConfig (and so every deploy) reads now.
    QSettings(QStringLiteral("box-console"), QStringLiteral("box-console"))
        .setValue(QStringLiteral("coolify/poll_ms"), 50);
    auto config = coolify::CoolifyConfig::load();
    QVERIFY2(config.ok(), qPrintable(config ? QString() : config.error().message()));
    QCOMPARE(config->serverUuid, QStringLiteral("srv-main"));
    QCOMPARE(config->projectUuid, QStringLiteral("proj-boxes"));
    QCOMPARE(config->environmentName, QStringLiteral("staging"));
    QCOMPARE(config->environmentUuid, QStringLiteral("env-staging"));
    QVERIFY(config->token.isEmpty()); // from the secret store, not the settings file
    QCOMPARE(test::await(util::SecretStore::read(
                             QString::fromLatin1(coolify::CoolifyConfig::tokenSecretKey)))
                 .value(),
             kToken);

    boxes::CoolifyBackend backend(config.value());
    auto d = openDeploy(&backend, QStringLiteral("alice"));
    const QString where = d->coolifyPlacementLabel()->text();
    QVERIFY(d->coolifyPlacementLabel()->isVisible());
    QVERIFY2(where.contains(QStringLiteral("srv-main")) &&
                 where.contains(QStringLiteral("proj-boxes")) &&
                 where.contains(QStringLiteral("staging")),
             qPrintable(where));
    QVERIFY(!d->keepFailedCheck()->isVisible()); // a Docker engine option
    QVERIFY(d->isolationCombo()->isVisible());
    saveShot(d.get(), QStringLiteral("deploy-coolify.png"));
    deployAndWait(*d);
    QVERIFY2(d->succeeded(), qPrintable(d->outcomeText()));
    const QJsonObject svcs = services();
    QCOMPARE(svcs.size(), 1);
    QCOMPARE(svcs.begin()->toObject()[u"name"].toString(), QStringLiteral("alice"));
    QJsonObject body;
    for (const QJsonValue &r : m_fake.inspect(QStringLiteral("requests")).array()) {
        const QJsonObject o = r.toObject();
        if (o[u"method"].toString() == u"POST" && o[u"path"].toString() == u"/services")
            body = QJsonDocument::fromJson(o[u"body"].toString().toUtf8()).object();
    }
    QCOMPARE(body[u"server_uuid"].toString(), QStringLiteral("srv-main"));
    QCOMPARE(body[u"project_uuid"].toString(), QStringLiteral("proj-boxes"));
    QCOMPARE(body[u"environment_uuid"].toString(), QStringLiteral("env-staging"));
    // The step list names what happened on Coolify.
    QStringList steps;
    for (int i = 0; i < d->stepList()->count(); ++i)
        steps << d->stepList()->item(i)->text();
    QVERIFY2(steps.contains(QStringLiteral("Create the Coolify service")),
             qPrintable(steps.join(u'|')));
    QVERIFY(steps.contains(QStringLiteral("Coolify settings")));
}

// Coolify reports no agent activity, so an idle stop there is a stop after N of uptime:
// the form says so where it shows what applies, instead of promising an idle stop.
void tst_DeployDialogCoolify::idleStopSaysItCountsFromTheStart()
{
    boxes::CoolifyBackend backend(m_fake.config(kToken));
    auto d = openDeploy(&backend, QStringLiteral("ida"));
    QTest::keyClicks(d->policyFields()->idleStopEdit(), QStringLiteral("30m"));
    const QString applies = d->policyFields()->summaryLabel()->text();
    QVERIFY2(applies.contains(QLatin1String("stops 30m after each start")) &&
                 applies.contains(QLatin1String("no agent activity")),
             qPrintable(applies));
    QVERIFY(!applies.contains(QLatin1String("idle stop after")));
}

void tst_DeployDialogCoolify::routedIsNotOfferedWithTheReason()
{
    boxes::CoolifyBackend backend(m_fake.config(kToken));
    auto d = openDeploy(&backend, QStringLiteral("bob"));
    QComboBox *iso = d->isolationCombo();
    auto *model = qobject_cast<QStandardItemModel *>(iso->model());
    QVERIFY(model);
    QCOMPARE(iso->count(), 2);
    QVERIFY(!model->item(1)->isEnabled());
    QVERIFY(d->isolationNoteLabel()->isVisible());
    QVERIFY2(d->isolationNoteLabel()->text().startsWith(
                 QStringLiteral("Routed boxes are refused on Coolify: a service")),
             qPrintable(d->isolationNoteLabel()->text()));
    // The keyboard cannot reach it either.
    iso->setFocus();
    QTest::keyClick(iso, Qt::Key_Down);
    QTest::keyClick(iso, Qt::Key_End);
    QCOMPARE(iso->currentIndex(), 0);
    QVERIFY(d->isValid());

    // A spec file asking for routed is refused at the field, before anything is sent.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("routed.json"));
    test::writeFile(path, R"({"name": "bob", "subdomain": "bob", "image": "bctest/box:latest",
                              "isolation": "routed"})");
    QVERIFY(d->loadSpecFile(path));
    QVERIFY(!d->isValid());
    QVERIFY(!d->deployButton()->isEnabled());
    QVERIFY(d->fieldError(QStringLiteral("isolation")).contains(QStringLiteral("Coolify")));
    QCOMPARE(serviceCreates(), 0);
}

void tst_DeployDialogCoolify::egressOnlyWithASocketRoot()
{
    boxes::CoolifyBackend without(m_fake.config(kToken));
    auto d = openDeploy(&without, QStringLiteral("carol"));
    QVERIFY(!d->egressEdit()->isVisible());
    QVERIFY(d->egressNoteLabel()->isVisible());
    QVERIFY(d->egressNoteLabel()->text().contains(QStringLiteral("egress socket root")));

    coolify::CoolifyConfig c = m_fake.config(kToken);
    c.egressSocketRoot = QStringLiteral("/run/box-egress");
    boxes::CoolifyBackend with(c);
    auto e = openDeploy(&with, QStringLiteral("carol"));
    QVERIFY(e->egressEdit()->isVisible());
    QVERIFY(!e->egressNoteLabel()->isVisible());
}

void tst_DeployDialogCoolify::missingServerIsASettingsStepAndNothingIsCreated()
{
    coolify::CoolifyConfig c = m_fake.config(kToken);
    c.serverUuid.clear();
    boxes::CoolifyBackend backend(c);
    auto d = openDeploy(&backend, QStringLiteral("dave"));
    QVERIFY(d->coolifyPlacementLabel()->isVisible());
    QVERIFY2(d->coolifyPlacementLabel()->text().contains(QStringLiteral("Not set: server")),
             qPrintable(d->coolifyPlacementLabel()->text()));
    QSignalSpy settingsWanted(d.get(), &ui::DeployDialog::settingsRequested);
    QMetaObject::invokeMethod(d->coolifyPlacementLabel(), "linkActivated",
                              Q_ARG(QString, QStringLiteral("settings")));
    QCOMPARE(settingsWanted.count(), 1);

    deployAndWait(*d);
    QVERIFY(!d->succeeded());
    QCOMPARE(d->failedStep(), QStringLiteral("settings"));
    QCOMPARE(d->stepList()->item(0)->text(), QStringLiteral("Coolify settings — failed"));
    const QString outcome = d->outcomeText();
    QVERIFY2(outcome.contains(QStringLiteral("Deploy failed at “Coolify settings”")),
             qPrintable(outcome));
    QVERIFY2(outcome.contains(QStringLiteral("Nothing was created.")), qPrintable(outcome));
    QVERIFY(!outcome.contains(QStringLiteral("rolled back")));
    QVERIFY(!outcome.contains(QStringLiteral("Check the spec")));
    QCOMPARE(serviceCreates(), 0);
    QVERIFY(services().isEmpty());
}

void tst_DeployDialogCoolify::failureAfterCreateSaysRolledBack()
{
    // The service is created, then never becomes healthy: the job deletes it again.
    m_fake.control(
        QStringLiteral("deployment"),
        {{QStringLiteral("polls"), 2}, {QStringLiteral("outcome"), QStringLiteral("failed")}});
    boxes::CoolifyBackend backend(m_fake.config(kToken));
    auto d = openDeploy(&backend, QStringLiteral("erin"));
    deployAndWait(*d);
    QVERIFY(!d->succeeded());
    QCOMPARE(serviceCreates(), 1);
    const QString outcome = d->outcomeText();
    QVERIFY2(outcome.contains(QStringLiteral("rolled back")), qPrintable(outcome));
    QVERIFY(!outcome.contains(QStringLiteral("Nothing was created")));
    QTRY_VERIFY_WITH_TIMEOUT(services().isEmpty(), 10000);
}

QTEST_MAIN(tst_DeployDialogCoolify)
#include "tst_deploydialog_coolify.moc"
