// ctest: labels=gui timeout=120
// Fleet rules in the console, driven with real widget events: the Settings page for default
// policies, quotas and webhooks (bad input refused naming the field, good input stored), and
// the deploy dialog's policy fields (what applies, box values over the backend's default).
#include "core/boxes/backendfactory.h"
#include "core/boxes/consolesettings.h"
#include "core/boxes/dockerbackend.h"
#include "ui/deploydialog.h"
#include "ui/fleetpolicyeditor.h"
#include "ui/models/boxlistmodel.h"
#include "ui/policyfields.h"
#include "ui/settingsdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
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
