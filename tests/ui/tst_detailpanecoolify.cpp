// ctest: labels=coolify;gui timeout=180
// The detail pane's log polling for a Coolify box, end to end: BoxDetailPane -> the real
// CoolifyBackend and CoolifyClient -> the fake Coolify (tests/support/coolify), whose
// application log the test grows between polls. What the Logs tab shows must be the log,
// each line once and in order, with markers where lines may be missing or the log started
// over; a stopped box is a status, not an error; polling stops with another box, another
// tab or a hidden pane.
#include "core/boxes/coolifybackend.h"
#include "support/coolify/fakecoolify.h"
#include "support/testutil.h"
#include "ui/boxdetailpane.h"
#include "ui/logview.h"
#include "ui/models/logmodel.h"

#include <QApplication>
#include <QJsonArray>
#include <QLabel>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace bc;
using boxes::BoxInfo;

using bc::test::numbered;

namespace {

constexpr int PollMs = 100;
constexpr int Tail = 500; // BoxDetailPane's tail
const QString kToken = QStringLiteral("5|rwd");

} // namespace

class tst_DetailPaneCoolify final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void showsEachLineOnceInOrder();
    void gapMarkerWhenMoreThanTheTail();
    void notRunningIsAStatusAndRestartIsMarked();
    void errorIsShownWithoutTheToken();
    void stopsWhenAnotherBoxIsSelected();
    void stopsWhenHiddenOrOnAnotherTab();

private:
    // A running box tagged for box-console whose container log is `log`.
    BoxInfo addBox(const QString &name, const QStringList &log,
                   const QString &status = QStringLiteral("running:healthy"));
    void openLogs(const BoxInfo &box);
    QStringList shown() const { return m_pane->logView()->model()->allLines(); }
    QString status() const;
    static QString logsPath(const BoxInfo &box)
    {
        return QStringLiteral("/applications/%1/logs").arg(box.id);
    }
    // Waits until the pane has sent `polls` more log requests for the box; all but the
    // last have then been answered and applied (polls never overlap).
    void waitForPolls(const BoxInfo &box, int polls);
    // No API request at all for `ms` (after letting an in-flight one land).
    void expectNoRequests(const QString &pathPrefix, int ms);

    test::FakeCoolify m_fake;
    QTemporaryDir m_home;
    std::unique_ptr<boxes::CoolifyBackend> m_backend;
    std::unique_ptr<ui::BoxDetailPane> m_pane;
};

void tst_DetailPaneCoolify::initTestCase()
{
    qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
    qputenv("BOX_SECRET_STORE", "file");
    if (!m_fake.start())
        QSKIP("python3 or the fake Coolify script is missing");
}

void tst_DetailPaneCoolify::init()
{
    m_fake.control(QStringLiteral("reset"));
    m_backend = std::make_unique<boxes::CoolifyBackend>(m_fake.config(kToken));
    boxes::CoolifyBackend *backend = m_backend.get();
    m_pane = std::make_unique<ui::BoxDetailPane>(
        nullptr, [backend](const QString &id) -> boxes::BoxBackend * {
            return id == backend->id() ? backend : nullptr;
        });
    QCOMPARE(m_pane->logPollIntervalMs(), 3000); // the user-facing default
    m_pane->setLogPollIntervalMs(PollMs);
    m_pane->resize(900, 600);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
}

void tst_DetailPaneCoolify::cleanup()
{
    m_pane.reset();
    // Let answers in flight settle before the backend goes.
    QTest::qWait(2 * PollMs);
    m_backend.reset();
}

void tst_DetailPaneCoolify::cleanupTestCase()
{
    m_fake.stop();
}

BoxInfo tst_DetailPaneCoolify::addBox(const QString &name, const QStringList &log,
                                      const QString &status)
{
    const QString uuid =
        m_fake
            .control(QStringLiteral("app"),
                     {{QStringLiteral("name"), name},
                      {QStringLiteral("description"),
                       QString(QStringLiteral("box-console box; owner=tester; subdomain=") + name)},
                      {QStringLiteral("tags"), QJsonArray{QStringLiteral("box-console")}},
                      {QStringLiteral("status"), status}})
            .object()
            .value(QStringLiteral("uuid"))
            .toString();
    if (uuid.isEmpty() || m_fake.appendLog(uuid, log, true) != log.size())
        qFatal("could not create the fake application %s", qPrintable(name));
    const auto boxes = test::await(m_backend->list());
    if (!boxes.ok())
        qFatal("list failed: %s", qPrintable(boxes.error().toString()));
    for (const BoxInfo &box : boxes.value()) {
        if (box.id == uuid)
            return box;
    }
    qFatal("box %s not listed", qPrintable(name));
    return {};
}

void tst_DetailPaneCoolify::openLogs(const BoxInfo &box)
{
    m_pane->setBox(box);
    m_pane->tabs()->setCurrentIndex(ui::BoxDetailPane::LogsTab);
}

QString tst_DetailPaneCoolify::status() const
{
    QStringList texts;
    for (const QLabel *label : m_pane->logView()->findChildren<QLabel *>())
        texts << label->text();
    return texts.join(QLatin1Char('\n'));
}

void tst_DetailPaneCoolify::waitForPolls(const BoxInfo &box, int polls)
{
    const int before = m_fake.requestCount(logsPath(box));
    QTRY_VERIFY_WITH_TIMEOUT(m_fake.requestCount(logsPath(box)) >= before + polls, 10000);
    QTest::qWait(200); // LogView appends in 100 ms batches
}

void tst_DetailPaneCoolify::expectNoRequests(const QString &pathPrefix, int ms)
{
    QTest::qWait(3 * PollMs); // an answer already on its way may still land
    const int before = m_fake.requestCount(pathPrefix);
    QTest::qWait(ms);
    QCOMPARE(m_fake.requestCount(pathPrefix), before);
}

void tst_DetailPaneCoolify::showsEachLineOnceInOrder()
{
    const BoxInfo box =
        addBox(QStringLiteral("ada"), {QStringLiteral("boot"), QStringLiteral("tick")});
    QStringList log{QStringLiteral("boot"), QStringLiteral("tick")};
    openLogs(box);
    QTRY_COMPARE_WITH_TIMEOUT(shown(), log, 10000);
    QVERIFY(status().contains(QStringLiteral("Polling every")));

    // The same line again and again: the old merge looked for the previous last line
    // ("tick") in the new window and dropped every repeat.
    const QList<QStringList> batches = {
        {QStringLiteral("tick"), QStringLiteral("tick")},
        {QStringLiteral("tick")},
        // Blank lines: a trailing one is only known once a line follows it.
        {QStringLiteral("work 1"), QString(), QString()},
        {QString(), QStringLiteral("work 2")},
        {QStringLiteral("tick"), QStringLiteral("tick"), QStringLiteral("tick")},
    };
    for (const QStringList &batch : batches) {
        QVERIFY(m_fake.appendLog(box.id, batch) > 0);
        log += batch;
        QStringList expected = log;
        while (!expected.isEmpty() && expected.last().isEmpty())
            expected.removeLast();
        QTRY_COMPARE_WITH_TIMEOUT(shown(), expected, 10000);
    }
    // Further polls of an unchanged log add nothing.
    waitForPolls(box, 4);
    QCOMPARE(shown(), log);
    QCOMPARE(shown().count(QStringLiteral("tick")), 7);
    QVERIFY(!status().contains(QStringLiteral("Could not")));
}

void tst_DetailPaneCoolify::gapMarkerWhenMoreThanTheTail()
{
    const BoxInfo box = addBox(QStringLiteral("bea"), {QStringLiteral("start")});
    openLogs(box);
    QTRY_COMPARE_WITH_TIMEOUT(shown(), QStringList{QStringLiteral("start")}, 10000);

    // One control call writes all of them, so no poll can fall in between.
    const QStringList burst = numbered(QStringLiteral("burst "), 1, Tail + 100);
    QCOMPARE(m_fake.appendLog(box.id, burst), 1 + Tail + 100);
    QTRY_COMPARE_WITH_TIMEOUT(shown().size(), 1 + 1 + Tail, 10000);
    const QStringList lines = shown();
    QCOMPARE(lines.first(), QStringLiteral("start"));
    QVERIFY2(lines.at(1).contains(QStringLiteral("may have been missed between polls")),
             qPrintable(lines.at(1)));
    QCOMPARE(lines.mid(2), burst.mid(100));

    // The window is full now and slides: repeats at its end are still counted.
    const QStringList more{QStringLiteral("tick"), QStringLiteral("tick"), QStringLiteral("end")};
    QVERIFY(m_fake.appendLog(box.id, more) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(shown().size(), 1 + 1 + Tail + 3, 10000);
    QCOMPARE(shown().mid(2 + Tail), more);
    waitForPolls(box, 3);
    QCOMPARE(shown().size(), 1 + 1 + Tail + 3);
    QCOMPARE(shown().filter(QStringLiteral("may have been missed")).size(), 1);
}

void tst_DetailPaneCoolify::notRunningIsAStatusAndRestartIsMarked()
{
    const QStringList first{QStringLiteral("a"), QStringLiteral("b")};
    const BoxInfo box = addBox(QStringLiteral("cid"), first);
    openLogs(box);
    QTRY_COMPARE_WITH_TIMEOUT(shown(), first, 10000);

    QVERIFY(m_fake.setStatus(box.id, QStringLiteral("exited:unhealthy")));
    QTRY_VERIFY_WITH_TIMEOUT(status().contains(QStringLiteral("not running")), 10000);
    QVERIFY2(!status().contains(QStringLiteral("Could not")), qPrintable(status()));
    QCOMPARE(m_fake.lastRequest(QStringLiteral("GET"), logsPath(box))
                 .value(QStringLiteral("query"))
                 .toObject()
                 .value(QStringLiteral("lines"))
                 .toString(),
             QString::number(Tail));
    // Still polling (to notice the box coming back) and the lines stay.
    waitForPolls(box, 3);
    QCOMPARE(shown(), first);
    QVERIFY(status().contains(QStringLiteral("not running")));

    // Back with a new container: fewer lines than before, none in common.
    QVERIFY(m_fake.appendLog(box.id, {QStringLiteral("new 1")}, true) == 1);
    QVERIFY(m_fake.setStatus(box.id, QStringLiteral("running:healthy")));
    QTRY_COMPARE_WITH_TIMEOUT(shown().size(), 4, 10000);
    QCOMPARE(shown().mid(0, 2), first);
    QVERIFY2(shown().at(2).contains(QStringLiteral("started over")), qPrintable(shown().at(2)));
    QCOMPARE(shown().at(3), QStringLiteral("new 1"));
    QTRY_VERIFY_WITH_TIMEOUT(status().contains(QStringLiteral("Polling every")), 10000);
    QVERIFY(m_fake.appendLog(box.id, {QStringLiteral("new 2")}) == 2);
    QTRY_COMPARE_WITH_TIMEOUT(shown().size(), 5, 10000);
    QCOMPARE(shown().last(), QStringLiteral("new 2"));
}

void tst_DetailPaneCoolify::errorIsShownWithoutTheToken()
{
    const QStringList first{QStringLiteral("one")};
    const BoxInfo box = addBox(QStringLiteral("dan"), first);
    openLogs(box);
    QTRY_COMPARE_WITH_TIMEOUT(shown(), first, 10000);

    m_fake.control(QStringLiteral("api_disabled"), {{QStringLiteral("disabled"), true}});
    QTRY_VERIFY_WITH_TIMEOUT(status().contains(QStringLiteral("Could not read logs")), 10000);
    QVERIFY2(status().contains(QStringLiteral("API is disabled")), qPrintable(status()));
    QVERIFY(!status().contains(kToken));
    QVERIFY(!status().contains(QStringLiteral("Bearer")));
    QCOMPARE(shown(), first);

    m_fake.control(QStringLiteral("api_disabled"), {{QStringLiteral("disabled"), false}});
    QVERIFY(m_fake.appendLog(box.id, {QStringLiteral("two")}) == 2);
    QTRY_COMPARE_WITH_TIMEOUT(shown(), QStringList({QStringLiteral("one"), QStringLiteral("two")}),
                              10000);
}

void tst_DetailPaneCoolify::stopsWhenAnotherBoxIsSelected()
{
    const BoxInfo first = addBox(QStringLiteral("eve"), {QStringLiteral("eve 1")});
    const BoxInfo second = addBox(QStringLiteral("fay"), {QStringLiteral("fay 1")});
    openLogs(first);
    QTRY_COMPARE_WITH_TIMEOUT(shown(), QStringList{QStringLiteral("eve 1")}, 10000);
    waitForPolls(first, 2);

    m_pane->setBox(second); // the Logs tab stays current
    QTRY_COMPARE_WITH_TIMEOUT(shown(), QStringList{QStringLiteral("fay 1")}, 10000);
    QVERIFY(m_fake.appendLog(first.id, {QStringLiteral("eve 2")}) == 2);
    expectNoRequests(logsPath(first), 10 * PollMs);
    waitForPolls(second, 2); // the selected box is polled
    QCOMPARE(shown(), QStringList{QStringLiteral("fay 1")});

    m_pane->setBox(std::nullopt);
    expectNoRequests(QStringLiteral("/"), 10 * PollMs);
    QVERIFY(shown().isEmpty());
}

void tst_DetailPaneCoolify::stopsWhenHiddenOrOnAnotherTab()
{
    const BoxInfo box = addBox(QStringLiteral("gus"), {QStringLiteral("g1")});
    openLogs(box);
    QTRY_COMPARE_WITH_TIMEOUT(shown(), QStringList{QStringLiteral("g1")}, 10000);

    m_pane->hide();
    expectNoRequests(QStringLiteral("/"), 10 * PollMs);
    QVERIFY(m_fake.appendLog(box.id, {QStringLiteral("g2")}) == 2);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    // Resumes where it was: the new line once, the old one not again.
    QTRY_COMPARE_WITH_TIMEOUT(shown(), QStringList({QStringLiteral("g1"), QStringLiteral("g2")}),
                              10000);

    m_pane->tabs()->setCurrentIndex(ui::BoxDetailPane::OverviewTab);
    expectNoRequests(logsPath(box), 10 * PollMs);
    QVERIFY(m_fake.appendLog(box.id, {QStringLiteral("g3")}) == 3);
    m_pane->tabs()->setCurrentIndex(ui::BoxDetailPane::LogsTab);
    QTRY_COMPARE_WITH_TIMEOUT(
        shown(), QStringList({QStringLiteral("g1"), QStringLiteral("g2"), QStringLiteral("g3")}),
        10000);
    waitForPolls(box, 3);
    QCOMPARE(shown().size(), 3);
}

QTEST_MAIN(tst_DetailPaneCoolify)
#include "tst_detailpanecoolify.moc"
