// ctest: labels=docker;coolify;gui timeout=300
// The console for a Coolify box whose server's engine it may reach over ssh: the detail pane
// shows the engine's health log and posture audit, follows the log from the engine's stream
// (not Coolify's polled tail), says where Coolify and the engine disagree, and a terminal tab
// opened on the box's engine target runs a command typed into the widget and leaves nothing
// behind when closed. The engine is the local one behind a real sshd (CoolifyEngineFixture).
#include "core/boxes/coolifybackend.h"
#include "support/coolify/coolifyenginefixture.h"
#include "support/dockerfixture.h"
#include "support/testutil.h"
#include "ui/boxdetailpane.h"
#include "ui/logview.h"
#include "ui/models/findingsmodel.h"
#include "ui/models/logmodel.h"
#include "ui/terminal/terminalemulator.h"
#include "ui/terminal/terminaltabs.h"
#include "ui/terminal/terminalwidget.h"

#include <QApplication>
#include <QLabel>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <QTreeWidget>

#include <memory>

using namespace bc;
using namespace bc::test;
using boxes::BoxInfo;

namespace {

QString screen(ui::TerminalWidget *t)
{
    QStringList lines;
    for (int r = 0; r < t->emulator()->rows(); ++r)
        lines << t->emulator()->lineText(r);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class tst_DetailPaneCoolifyEngine final : public QObject
{
    Q_OBJECT

    LabelledCleanup m_cleanup;
    CoolifyEngineFixture m_env;
    std::unique_ptr<boxes::CoolifyBackend> m_backend;
    std::unique_ptr<ui::BoxDetailPane> m_pane;
    QString m_uuid;
    QString m_box;
    QString m_container;
    std::optional<BoxInfo> m_last;

    QTreeWidget *tree(const QString &accessibleName) const
    {
        for (QTreeWidget *t : m_pane->findChildren<QTreeWidget *>())
            if (t->accessibleName() == accessibleName)
                return t;
        return nullptr;
    }

    QStringList boxProcesses() const
    {
        QStringList out;
        const QString top = runDocker(
            {QStringLiteral("top"), m_container, QStringLiteral("-o"), QStringLiteral("pid,args")});
        // The engine needs the pid column to tell the container's processes.
        for (const QString &line : top.split(QLatin1Char('\n')).mid(1)) {
            const QString p = line.trimmed().section(QLatin1Char(' '), 1).trimmed();
            if (!p.isEmpty() && !p.contains(QLatin1String("box-agent")) &&
                !p.contains(QLatin1String("httpd")) && !p.contains(QLatin1String("tick")) &&
                !p.startsWith(QLatin1String("sleep 1")) &&
                !p.contains(QLatin1String("box-health")) && !p.startsWith(QLatin1String("nc ")))
                out << p;
        }
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dockerAvailable());
        QString error;
        QVERIFY2(m_env.start(&error), qPrintable(error));
        security::BoxSpec spec;
        m_box = uniqueName(QStringLiteral("cfp")).left(30).toLower();
        spec.name = m_box;
        spec.subdomain = m_box;
        spec.owner = QStringLiteral("bob");
        spec.image = boxTestImage();
        spec.command = CoolifyEngineFixture::tickingAgent();
        const auto uuid = m_env.deploy(spec);
        QVERIFY_RESULT(uuid);
        m_uuid = uuid.value();
        const auto container = m_env.runDeployed(m_uuid, m_box, boxTestImage(), spec.command);
        QVERIFY_RESULT(container);
        m_container = container.value();
        QVERIFY(waitUntil(
            [this] {
                return runDocker({QStringLiteral("inspect"), QStringLiteral("-f"),
                                  QStringLiteral("{{.State.Health.Status}}"), m_container}) ==
                       QLatin1String("healthy");
            },
            60000));

        m_backend =
            std::make_unique<boxes::CoolifyBackend>(m_env.config(m_env.sshd().knownHosts()));
        m_backend->setPollIntervalMs(200);
        m_backend->setStatsInterval(300);
        connect(m_backend.get(), &boxes::BoxBackend::boxChanged, this, [this](const BoxInfo &b) {
            if (b.id == m_uuid) {
                m_last = b;
                if (m_pane)
                    m_pane->updateBox(b);
            }
        });
        QVERIFY(waitUntil([this] { return m_last && m_last->detailed; }, 60000));
        m_pane = std::make_unique<ui::BoxDetailPane>(
            nullptr, [this](const QString &id) -> boxes::BoxBackend * {
                return id == m_backend->id() ? m_backend.get() : nullptr;
            });
        m_pane->resize(900, 600);
        m_pane->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
        m_pane->setBox(*m_last);
    }

    void cleanupTestCase()
    {
        m_pane.reset();
        m_backend.reset();
        m_env.stop();
    }

    void healthLogAndAuditFromTheEngine()
    {
        QTreeWidget *health = tree(QStringLiteral("Last health checks"));
        QVERIFY(health);
        QVERIFY(waitUntil(
            [&] {
                return health->topLevelItemCount() > 0 &&
                       health->topLevelItem(0)->text(1) == QLatin1String("0");
            },
            30000));
        QVERIFY2(health->topLevelItem(0)->text(2).contains(QLatin1String("\"status\":\"ok\"")),
                 qPrintable(health->topLevelItem(0)->text(2)));
        QTreeWidget *mounts = tree(QStringLiteral("Mounts"));
        QVERIFY(mounts && mounts->topLevelItemCount() > 0);
        // The audit ran on the inspect: the compose keeps the profile, nothing critical.
        QVERIFY(m_pane->findings()->count(ui::FindingsModel::Severity::Critical) == 0);
        QVERIFY(
            m_pane->healthLabel()->text().contains(QLatin1String("healthy"), Qt::CaseInsensitive));
        QVERIFY(m_pane->stateLabel()->text().contains(QLatin1String("engine:")));
    }

    void logsFollowTheEngineStream()
    {
        m_pane->tabs()->setCurrentIndex(ui::BoxDetailPane::LogsTab);
        QVERIFY(waitUntil(
            [&] {
                int ticks = 0;
                for (const QString &l : m_pane->logView()->model()->allLines())
                    ticks += l.startsWith(QLatin1String("tick-"));
                return ticks >= 3;
            },
            20000));
        QStringList texts;
        for (const QLabel *label : m_pane->logView()->findChildren<QLabel *>())
            texts << label->text();
        QVERIFY2(texts.join(u'\n').contains(QLatin1String("Following")),
                 qPrintable(texts.join(u'\n')));
        // Each line once, in order.
        QStringList ticks;
        for (const QString &l : m_pane->logView()->model()->allLines())
            if (l.startsWith(QLatin1String("tick-")))
                ticks << l;
        for (int i = 1; i < ticks.size(); ++i)
            QCOMPARE(ticks[i].mid(5).toInt(), ticks[i - 1].mid(5).toInt() + 1);
        m_pane->tabs()->setCurrentIndex(ui::BoxDetailPane::OverviewTab);
    }

    void terminalTabOnTheEngine()
    {
        const auto target = m_backend->engineTarget(m_uuid);
        QVERIFY(target);
        ui::TerminalTabs tabs;
        tabs.resize(700, 400);
        tabs.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tabs));
        QSignalSpy opened(&tabs, &ui::TerminalTabs::opened);
        tabs.open(target->engine->client(), target->containerId);
        QVERIFY(opened.wait(30000));
        ui::TerminalWidget *t = tabs.terminal(0);
        QVERIFY(t);
        QVERIFY(waitUntil([&] { return screen(t).contains(QLatin1String("$")); }, 20000));
        t->setFocus();
        QTest::keyClicks(t, QStringLiteral("echo sum=$((40+2))"));
        QTest::keyClick(t, Qt::Key_Return);
        QVERIFY2(waitUntil([&] { return screen(t).contains(QLatin1String("sum=42")); }, 20000),
                 qPrintable(screen(t)));
        QTest::keyClicks(t, QStringLiteral("sleep 300"));
        QTest::keyClick(t, Qt::Key_Return);
        QVERIFY2(
            waitUntil([&] { return boxProcesses().join(u'\n').contains(u"sleep 300"); }, 20000),
            qPrintable(screen(t) + u'\n' + boxProcesses().join(u'\n')));
        tabs.closeTab(0);
        // The session's shell and its sleep are gone (the helper exec that ends them may
        // still be finishing).
        const auto sessionLeft = [&] {
            QStringList left = boxProcesses();
            left.removeIf([](const QString &p) { return p.contains(QLatin1String("sig=HUP")); });
            return left;
        };
        QVERIFY2(waitUntil([&] { return sessionLeft().isEmpty(); }, 20000),
                 qPrintable(sessionLeft().join(u'\n')));
    }

    void stoppedBoxShowsTheDisagreement()
    {
        int code = -1;
        runDocker({QStringLiteral("stop"), QStringLiteral("-t"), QStringLiteral("1"), m_container},
                  &code);
        QCOMPARE(code, 0);
        QVERIFY(waitUntil([&] { return m_last->state == BoxInfo::State::Exited; }, 30000));
        QVERIFY2(waitUntil(
                     [&] {
                         return m_pane->stateLabel()->text().contains(
                             QLatin1String("Coolify says running:healthy, the engine says exited"));
                     },
                     10000),
                 qPrintable(m_pane->stateLabel()->text()));
        // A terminal into the stopped box is refused with the reason, in the tab too.
        const auto target = m_backend->engineTarget(m_uuid);
        QVERIFY(target);
        ui::TerminalTabs tabs;
        QSignalSpy failed(&tabs, &ui::TerminalTabs::failed);
        tabs.open(target->engine->client(), target->containerId);
        QVERIFY(failed.wait(30000));
        QVERIFY2(failed.first().first().toString().contains(
                     QStringLiteral("box %1 is not running").arg(m_box)),
                 qPrintable(failed.first().first().toString()));
    }
};

QTEST_MAIN(tst_DetailPaneCoolifyEngine)
#include "tst_detailpanecoolifyengine.moc"
