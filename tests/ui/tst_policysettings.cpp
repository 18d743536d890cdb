// ctest: labels=gui timeout=120
// Fleet rules in the console, driven with real widget events: the Settings page for default
// policies, quotas and webhooks (bad input refused naming the field, good input stored;
// webhook URLs kept in the secret store and shown only masked), and the deploy dialog's
// policy fields (what applies, box values over the backend's default).
#include "core/boxes/backendfactory.h"
#include "core/boxes/consolesettings.h"
#include "core/boxes/dockerbackend.h"
#include "core/boxes/webhooksecrets.h"
#include "core/util/secretstore.h"
#include "support/testutil.h"
#include "ui/deploydialog.h"
#include "ui/fleetpolicyeditor.h"
#include "ui/models/boxlistmodel.h"
#include "ui/policyfields.h"
#include "ui/settingsdialog.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace bc;
using boxes::ConsoleSettings;
using ui::FleetPolicyEditor;
using ui::SettingsDialog;

class tst_PolicySettings final : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_work;
    QTemporaryDir m_home;

    // Selects the cell with a click, opens its editor with F2, types, commits with Return.
    static void editCell(QTableWidget *table, int row, int column, const QString &text)
    {
        table->scrollToItem(table->item(row, column));
        const QRect rect = table->visualRect(table->model()->index(row, column));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(table->currentRow(), row);
        QCOMPARE(table->currentColumn(), column);
        QTest::keyClick(table, Qt::Key_F2);
        // The editor F2 opened on this view's viewport.
        QLineEdit *editor = nullptr;
        (void)QTest::qWaitFor([&] {
            for (QLineEdit *e : table->viewport()->findChildren<QLineEdit *>())
                if (e->isVisible() && e->hasFocus())
                    editor = e;
            return editor != nullptr;
        });
        QVERIFY2(editor, "no cell editor opened");
        editor->selectAll();
        QTest::keyClick(editor, Qt::Key_Backspace);
        QTest::keyClicks(editor, text);
        QTest::keyClick(editor, Qt::Key_Return);
        // The delegate commits on a later turn of the event loop.
        QTRY_COMPARE_WITH_TIMEOUT(table->item(row, column)->text(), text, 2000);
    }

    static bool clickApply(SettingsDialog &d)
    {
        QSignalSpy spy(&d, &SettingsDialog::applied);
        auto *buttons = d.findChild<QDialogButtonBox *>();
        QTest::mouseClick(buttons->button(QDialogButtonBox::Apply), Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return spy.count() > 0; }, 10000))
            qFatal("apply never reported");
        return spy.first().first().toBool();
    }

    // Every text the dialog can show: labels, fields, buttons, tooltips, and each table
    // cell in every role a view, editor or screen reader displays.
    static QStringList shownTexts(QWidget *root)
    {
        QStringList out;
        QList<QWidget *> widgets = root->findChildren<QWidget *>();
        widgets << root;
        for (QWidget *w : std::as_const(widgets)) {
            out << w->toolTip() << w->statusTip() << w->whatsThis() << w->accessibleName()
                << w->accessibleDescription() << w->windowTitle();
            if (auto *l = qobject_cast<QLabel *>(w))
                out << l->text();
            if (auto *e = qobject_cast<QLineEdit *>(w))
                out << e->text() << e->placeholderText();
            if (auto *b = qobject_cast<QAbstractButton *>(w))
                out << b->text();
            if (auto *t = qobject_cast<QTableWidget *>(w)) {
                for (int r = 0; r < t->rowCount(); ++r)
                    for (int c = 0; c < t->columnCount(); ++c)
                        if (const QTableWidgetItem *item = t->item(r, c))
                            for (int role : {Qt::DisplayRole, Qt::EditRole, Qt::ToolTipRole,
                                             Qt::StatusTipRole, Qt::WhatsThisRole,
                                             Qt::AccessibleTextRole, Qt::AccessibleDescriptionRole})
                                out << item->data(role).toString();
            }
        }
        return out;
    }

    static void verifyNothingShows(QWidget *root, const QStringList &secrets)
    {
        for (const QString &text : shownTexts(root))
            for (const QString &secret : secrets)
                QVERIFY2(!text.contains(secret),
                         qPrintable(QStringLiteral("shown: %1 (contains %2)").arg(text, secret)));
    }

    static QByteArray fileContent(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    static bool inStore(const QString &key)
    {
        const auto r = test::await(util::SecretStore::read(key));
        if (!r && r.error().kind() != Error::Kind::NotFound)
            qFatal("secret store: %s", qPrintable(r.error().message()));
        return r.ok();
    }

    static QPushButton *removeButton(QTableWidget *table)
    {
        for (QPushButton *b : table->parentWidget()->findChildren<QPushButton *>())
            if (b->text() == QStringLiteral("Remove"))
                return b;
        return nullptr;
    }

    static void typeInto(QLineEdit *edit, const QString &text)
    {
        edit->setFocus();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
    }

private slots:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
        qputenv("BOX_SECRET_STORE", "file");
        qputenv("DOCKER_CONFIG", m_home.filePath(QStringLiteral("docker")).toUtf8());
    }

    void settingsPageRefusesAndStores()
    {
        const QString path = m_work.filePath(QStringLiteral("settings.ini"));
        ConsoleSettings settings(path);
        SettingsDialog dialog(nullptr, &settings);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        FleetPolicyEditor *fleet = dialog.fleetEditor();

        // The page is a tab of its own.
        QTabBar *bar = dialog.tabs()->tabBar();
        QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(1).center());
        QCOMPARE(dialog.tabs()->currentWidget(), fleet);

        // A quota with a negative box count: refused naming the field, nothing stored.
        QTest::mouseClick(fleet->addQuotaButton(), Qt::LeftButton);
        QCOMPARE(fleet->quotaTable()->rowCount(), 1);
        editCell(fleet->quotaTable(), 0, FleetPolicyEditor::OwnerColumn, QStringLiteral("alice"));
        editCell(fleet->quotaTable(), 0, FleetPolicyEditor::BoxesColumn, QStringLiteral("-1"));
        QVERIFY(!clickApply(dialog));
        QVERIFY(fleet->errorLabel()->isVisible());
        QCOMPARE(fleet->errorLabel()->text(),
                 QStringLiteral("quotas[alice].maxBoxes: must not be negative"));
        QVERIFY(settings.quotas()->isEmpty());

        editCell(fleet->quotaTable(), 0, FleetPolicyEditor::BoxesColumn, QStringLiteral("3"));
        editCell(fleet->quotaTable(), 0, FleetPolicyEditor::MemoryColumn, QStringLiteral("8g"));

        // A default policy with a garbage duration.
        QTest::mouseClick(fleet->addPolicyButton(), Qt::LeftButton);
        QCOMPARE(fleet->policyTable()->item(0, FleetPolicyEditor::BackendColumn)->text(),
                 QStringLiteral("*"));
        editCell(fleet->policyTable(), 0, FleetPolicyEditor::IdleStopColumn, QStringLiteral("0x"));
        QVERIFY(!clickApply(dialog));
        QVERIFY(fleet->errorLabel()->text().startsWith(
            QStringLiteral("policy.defaults[*].idleStop: invalid duration")));
        editCell(fleet->policyTable(), 0, FleetPolicyEditor::IdleStopColumn, QStringLiteral("30m"));
        editCell(fleet->policyTable(), 0, FleetPolicyEditor::MaxLifetimeColumn,
                 QStringLiteral("8h"));

        // A webhook over plain http to a remote host.
        QTest::mouseClick(fleet->addWebhookButton(), Qt::LeftButton);
        editCell(fleet->webhookTable(), 0, FleetPolicyEditor::UrlColumn,
                 QStringLiteral("http://alerts.example.com/hook"));
        QVERIFY(!clickApply(dialog));
        QVERIFY(fleet->errorLabel()->text().startsWith(
            QStringLiteral("webhooks[0].url: plain http is allowed only to this machine")));
        QVERIFY(settings.webhooks()->isEmpty());
        editCell(fleet->webhookTable(), 0, FleetPolicyEditor::UrlColumn,
                 QStringLiteral("http://127.0.0.1:9000/hook"));
        editCell(fleet->webhookTable(), 0, FleetPolicyEditor::KindColumn, QStringLiteral("slack"));

        QVERIFY(clickApply(dialog));
        QVERIFY(!fleet->errorLabel()->isVisible());
        ConsoleSettings reread(path);
        const auto quotas = reread.quotas();
        QVERIFY(quotas);
        QCOMPARE(quotas->size(), 1);
        QCOMPARE(quotas->first().owner, QStringLiteral("alice"));
        QCOMPARE(quotas->first().maxBoxes, 3);
        QCOMPARE(quotas->first().maxMemoryBytes, 8LL << 30);
        const auto policy = reread.fleetPolicyFor(QStringLiteral("docker:unix:///x.sock"));
        QVERIFY(policy);
        QCOMPARE(policy->idleStopSecs, std::optional<qint64>(1800));
        QCOMPARE(policy->maxLifetimeSecs, std::optional<qint64>(8 * 3600));
        const auto hooks = reread.webhooks();
        QVERIFY(hooks);
        QCOMPARE(hooks->size(), 1);
        QCOMPARE(hooks->first().kind, QStringLiteral("slack"));

        // Opened again, the page shows what is stored.
        SettingsDialog again(nullptr, &reread);
        QCOMPARE(again.fleetEditor()->quotaTable()->rowCount(), 1);
        QCOMPARE(again.fleetEditor()->policyTable()->item(0, 1)->text(), QStringLiteral("30m"));
    }

    // A webhook URL is typed once; after that the page, its tooltips and its errors show it
    // masked, the settings file holds only a reference, and replaced or removed webhooks
    // leave no secret in the store.
    void webhookUrlsAreShownMaskedAndKeptInTheStore()
    {
        const QString slackUrl =
            QStringLiteral("https://hooks.slack.com/services/T000/B000/AAAAt0kenAAAA1111");
        const QString typedUrl =
            QStringLiteral("https://alerts.example.com/hooks/BBBBt0kenBBBB2222");
        const QString replacementUrl =
            QStringLiteral("https://alerts.example.com/hooks/CCCCt0kenCCCC3333");
        const QStringList secrets{QStringLiteral("t0ken"), QStringLiteral("services/"),
                                  QStringLiteral("hooks/")};
        const QString path = m_work.filePath(QStringLiteral("webhooks.ini"));
        {
            ConsoleSettings seed(path);
            boxes::Webhook slack;
            slack.url = slackUrl;
            slack.kind = QStringLiteral("slack");
            QVERIFY(test::await(boxes::WebhookSecrets::save(seed, {slack})));
        }
        const QString slackKey = ConsoleSettings(path).webhookSecretKeys().value(0);
        QVERIFY(inStore(slackKey));

        ConsoleSettings settings(path);
        SettingsDialog dialog(nullptr, &settings);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTabBar *bar = dialog.tabs()->tabBar();
        QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(1).center());
        FleetPolicyEditor *fleet = dialog.fleetEditor();
        QTableWidget *table = fleet->webhookTable();
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->item(0, FleetPolicyEditor::UrlColumn)->text(),
                 QStringLiteral("https://hooks.slack.com/…1111"));
        QCOMPARE(table->item(0, FleetPolicyEditor::KindColumn)->text(), QStringLiteral("slack"));
        verifyNothingShows(&dialog, secrets);

        // A new one, typed in full once.
        QTest::mouseClick(fleet->addWebhookButton(), Qt::LeftButton);
        editCell(table, 1, FleetPolicyEditor::UrlColumn, typedUrl);
        QVERIFY(clickApply(dialog));
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->item(1, FleetPolicyEditor::UrlColumn)->text(),
                 QStringLiteral("https://alerts.example.com/…2222"));
        QCOMPARE(table->item(1, FleetPolicyEditor::KindColumn)->text(), QStringLiteral("plain"));
        verifyNothingShows(&dialog, secrets);
        QByteArray onDisk = fileContent(path);
        for (const QString &secret : secrets)
            QVERIFY2(!onDisk.contains(secret.toUtf8()), onDisk.constData());
        {
            ConsoleSettings reread(path);
            const auto loaded = test::await(boxes::WebhookSecrets::load(reread));
            QVERIFY(loaded);
            QCOMPARE(loaded->size(), 2);
            QCOMPARE(loaded->at(0).url, slackUrl);
            QCOMPARE(loaded->at(0).kind, QStringLiteral("slack"));
            QCOMPARE(loaded->at(1).url, typedUrl);
        }
        const QString typedKey = fleet->webhookSecretKeys().value(1);
        QCOMPARE(ConsoleSettings(path).webhookSecretKeys(), QStringList({slackKey, typedKey}));

        // Kind changed with the masked cell untouched: the stored secret stays. The other URL
        // replaced by typing over its masked form: its old secret goes.
        editCell(table, 0, FleetPolicyEditor::KindColumn, QStringLiteral("plain"));
        editCell(table, 1, FleetPolicyEditor::UrlColumn, replacementUrl);
        QVERIFY(clickApply(dialog));
        QCOMPARE(table->item(1, FleetPolicyEditor::UrlColumn)->text(),
                 QStringLiteral("https://alerts.example.com/…3333"));
        verifyNothingShows(&dialog, secrets);
        const QStringList keys = ConsoleSettings(path).webhookSecretKeys();
        QCOMPARE(keys.size(), 2);
        QCOMPARE(keys.at(0), slackKey);
        QVERIFY(keys.at(1) != typedKey);
        QVERIFY(!inStore(typedKey));
        QVERIFY(inStore(slackKey));
        {
            ConsoleSettings reread(path);
            const auto loaded = test::await(boxes::WebhookSecrets::load(reread));
            QVERIFY(loaded);
            QCOMPARE(loaded->at(0).url, slackUrl);
            QCOMPARE(loaded->at(0).kind, QStringLiteral("plain"));
            QCOMPARE(loaded->at(1).url, replacementUrl);
        }

        // A bad URL: refused naming the field, the URL masked in the message.
        QTest::mouseClick(fleet->addWebhookButton(), Qt::LeftButton);
        editCell(table, 2, FleetPolicyEditor::UrlColumn,
                 QStringLiteral("ftp://files.example.com/drop/DDDDt0kenDDDD4444"));
        QVERIFY(!clickApply(dialog));
        QVERIFY(fleet->errorLabel()->isVisible());
        QVERIFY2(fleet->errorLabel()->text().startsWith(
                     QStringLiteral("webhooks[2].url: must be an http(s) URL with a host")),
                 qPrintable(fleet->errorLabel()->text()));
        QVERIFY2(
            fleet->errorLabel()->text().contains(QStringLiteral("ftp://files.example.com/…4444")),
            qPrintable(fleet->errorLabel()->text()));
        QVERIFY(!fleet->errorLabel()->text().contains(QStringLiteral("t0ken")));
        QVERIFY(!dialog.applyErrorLabel()->text().contains(QStringLiteral("t0ken")));

        // Removed with the page's own button (the bad row, then the Slack one).
        QPushButton *remove = removeButton(table);
        QVERIFY(remove);
        QTest::mouseClick(remove, Qt::LeftButton);
        QCOMPARE(table->rowCount(), 2);
        const QRect first = table->visualRect(table->model()->index(0, 0));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, first.center());
        QCOMPARE(table->currentRow(), 0);
        QTest::mouseClick(remove, Qt::LeftButton);
        QCOMPARE(table->rowCount(), 1);
        QVERIFY(clickApply(dialog));
        QVERIFY(!inStore(slackKey));
        QCOMPARE(ConsoleSettings(path).webhookSecretKeys(), QStringList{keys.at(1)});
        QVERIFY(inStore(keys.at(1)));
        onDisk = fileContent(path);
        for (const QString &secret : secrets)
            QVERIFY2(!onDisk.contains(secret.toUtf8()), onDisk.constData());
        verifyNothingShows(&dialog, secrets);

        // Opened again: masked from the start.
        ConsoleSettings reread(path);
        SettingsDialog again(nullptr, &reread);
        QCOMPARE(again.fleetEditor()->webhookTable()->item(0, 0)->text(),
                 QStringLiteral("https://alerts.example.com/…3333"));
        verifyNothingShows(&again, secrets);
    }

    // A settings file from before the secret store (URL in clear): shown masked, and the
    // next Apply moves the URL into the store and out of the file.
    void legacyWebhookIsMigratedOnApply()
    {
        const QString url =
            QStringLiteral("https://hooks.slack.com/services/T1/B1/LLLLt0kenLLLL5555");
        const QString path = m_work.filePath(QStringLiteral("legacy.ini"));
        {
            QSettings raw(path, QSettings::IniFormat);
            raw.beginWriteArray(QStringLiteral("webhooks"), 1);
            raw.setArrayIndex(0);
            raw.setValue(QStringLiteral("url"), url);
            raw.setValue(QStringLiteral("kind"), QStringLiteral("slack"));
            raw.endArray();
        }
        QVERIFY(fileContent(path).contains("LLLLt0ken"));
        ConsoleSettings settings(path);
        SettingsDialog dialog(nullptr, &settings);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTableWidget *table = dialog.fleetEditor()->webhookTable();
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->item(0, FleetPolicyEditor::UrlColumn)->text(),
                 QStringLiteral("https://hooks.slack.com/…5555"));
        verifyNothingShows(&dialog, {QStringLiteral("t0ken"), QStringLiteral("services/")});

        QVERIFY(clickApply(dialog));
        const QByteArray onDisk = fileContent(path);
        QVERIFY2(!onDisk.contains("t0ken") && !onDisk.contains("services/"), onDisk.constData());
        ConsoleSettings reread(path);
        const QStringList keys = reread.webhookSecretKeys();
        QCOMPARE(keys.size(), 1);
        QCOMPARE(test::await(util::SecretStore::read(keys.first())).value(), url);
        const auto loaded = test::await(boxes::WebhookSecrets::load(reread));
        QVERIFY(loaded);
        QCOMPARE(loaded->first().url, url);
        QCOMPARE(loaded->first().kind, QStringLiteral("slack"));
        verifyNothingShows(&dialog, {QStringLiteral("t0ken"), QStringLiteral("services/")});
    }

    void settingsPageKeepsInvalidStoredEntries()
    {
        const QString path = m_work.filePath(QStringLiteral("broken.ini"));
        {
            QSettings raw(path, QSettings::IniFormat);
            raw.beginWriteArray(QStringLiteral("quotas"), 1);
            raw.setArrayIndex(0);
            raw.setValue(QStringLiteral("owner"), QStringLiteral("bob"));
            raw.setValue(QStringLiteral("maxBoxes"), QStringLiteral("-4"));
            raw.endArray();
        }
        ConsoleSettings settings(path);
        SettingsDialog dialog(nullptr, &settings);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.fleetEditor()->errorLabel()->text().contains(
            QStringLiteral("quotas[bob].maxBoxes: must not be negative")));
        // Applying other settings does not silently drop (or "fix") the stored entry.
        QVERIFY(clickApply(dialog));
        QSettings raw(path, QSettings::IniFormat);
        QCOMPARE(raw.value(QStringLiteral("quotas/1/maxBoxes")).toString(), QStringLiteral("-4"));
    }

    // The box list's Policy column, from the labels a deploy writes, by the service's rule.
    void policyColumn()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        boxes::BoxInfo running;
        running.backendId = QStringLiteral("docker:unix:///x.sock");
        running.id = QStringLiteral("c1");
        running.name = QStringLiteral("alice");
        running.state = boxes::BoxInfo::State::Running;
        running.createdAt = now.addSecs(-3600);
        running.startedAt = now.addSecs(-600);
        running.labels = {
            {QStringLiteral("box-console.policy.idle-stop"), QStringLiteral("1800")},
            {QStringLiteral("box-console.policy.max-lifetime"), QStringLiteral("14400")},
            {QStringLiteral("box-console.policy.source"), QStringLiteral("box")}};
        boxes::BoxInfo stopped = running;
        stopped.id = QStringLiteral("c2");
        stopped.name = QStringLiteral("bob");
        stopped.state = boxes::BoxInfo::State::Exited;
        stopped.startedAt = {};
        stopped.finishedAt = now.addSecs(-86400);
        stopped.labels.insert(QStringLiteral("box-console.policy.delete-after-stopped"),
                              QStringLiteral("604800"));
        boxes::BoxInfo plain = running;
        plain.id = QStringLiteral("c3");
        plain.labels.clear();

        ui::BoxListModel model;
        model.setBoxes({running, stopped, plain});
        const auto text = [&](const boxes::BoxInfo &b) {
            return model.index(model.rowOf(b.key()), ui::BoxListModel::Policy).data().toString();
        };
        QCOMPARE(model.headerData(ui::BoxListModel::Policy, Qt::Horizontal).toString(),
                 QStringLiteral("Policy"));
        QCOMPARE(text(running), QStringLiteral("idle stop in 20 min"));
        QCOMPARE(text(stopped), QStringLiteral("deleted in 6 d"));
        QCOMPARE(text(plain), QString());
        QVERIFY(model.index(model.rowOf(running.key()), ui::BoxListModel::Policy)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("Set by the box's spec")));

        // A keep-alive defers the idle stop; the lifetime (3 h left) comes first then.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setKeepAliveUntil(running.key(), now.addSecs(5 * 3600));
        model.flush();
        QVERIFY(!changed.isEmpty());
        QCOMPARE(text(running), QStringLiteral("expires in 3 h"));
    }

    void deployDialogShowsAndSetsThePolicy()
    {
        boxes::DeployOptions withDefault;
        withDefault.fleet.policyDefault.maxLifetimeSecs = 8 * 3600;
        withDefault.fleet.policyDefault.idleStopSecs = 3600;
        boxes::DockerBackend first(http::Endpoint{}, withDefault);
        boxes::DeployOptions none;
        boxes::DockerBackend second(
            boxes::BackendFactory::parseEndpoint(QStringLiteral("unix:///tmp/bc-none.sock"))
                .value(),
            none);
        ui::DeployDialog dialog({&first, &second}, first.id(), {});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        ui::PolicyFields *policy = dialog.policyFields();
        typeInto(dialog.nameEdit(), QStringLiteral("alice-dev"));
        typeInto(dialog.subdomainEdit(), QStringLiteral("alice"));
        typeInto(dialog.imageEdit(), QStringLiteral("bctest/box:latest"));

        // Nothing typed: the backend's default applies and is shown.
        QCOMPARE(policy->idleStopEdit()->placeholderText(), QStringLiteral("default 1h"));
        QCOMPARE(policy->summaryLabel()->text(),
                 QStringLiteral("Applies: idle stop after 1h (fleet default); stops 8h after "
                                "creation (fleet default)."));

        // A bad duration blocks the deploy and names the field.
        typeInto(policy->idleStopEdit(), QStringLiteral("-5m"));
        QVERIFY(!dialog.isValid());
        QCOMPARE(dialog.fieldError(QStringLiteral("policy")),
                 QStringLiteral("policy.idleStop: must not be negative"));
        QVERIFY(!dialog.deployButton()->isEnabled());

        typeInto(policy->idleStopEdit(), QStringLiteral("30m"));
        typeInto(policy->deleteAfterStoppedEdit(), QStringLiteral("7d"));
        QVERIFY2(dialog.isValid(), qPrintable(dialog.fieldError(QStringLiteral("policy"))));
        QCOMPARE(policy->summaryLabel()->text(),
                 QStringLiteral("Applies: idle stop after 30m (this box); stops 8h after "
                                "creation (fleet default); deleted 7d after it stopped (this "
                                "box)."));
        auto spec = dialog.spec();
        QVERIFY(spec);
        QCOMPARE(spec->policy.idleStopSecs, std::optional<qint64>(1800));
        QVERIFY(!spec->policy.maxLifetimeSecs); // left to the fleet default
        QCOMPARE(spec->policy.deleteAfterStoppedSecs, std::optional<qint64>(7 * 86400));

        // Another backend, another default.
        dialog.targetCombo()->setFocus();
        QTest::keyClick(dialog.targetCombo(), Qt::Key_Down);
        QCOMPARE(dialog.targetCombo()->currentIndex(), 1);
        QCOMPARE(policy->maxLifetimeEdit()->placeholderText(), QStringLiteral("off"));
        QCOMPARE(policy->summaryLabel()->text(),
                 QStringLiteral("Applies: idle stop after 30m (this box); deleted 7d after it "
                                "stopped (this box)."));
    }
};

QTEST_MAIN(tst_PolicySettings)
#include "tst_policysettings.moc"
