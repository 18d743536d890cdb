#include "ui/egresslogview.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using bc::ui::EgressLogView;

// The detail pane's Egress tab: a box's requests from the proxy's log, newest first, read
// off the GUI thread; a read for a box no longer shown is dropped.
class tst_EgressLogView : public QObject
{
    Q_OBJECT

private slots:
    void showsTheBoxsRequestsNewestFirst()
    {
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("egress.log"));
        QFile f(log);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("box-egress 1796526780 frontend=egress.alice.anthropic method=POST status=200 "
                "verdict=allowed path=/v1/messages\n"
                "box-egress 1796526781 frontend=egress.bob.resend method=POST status=200 "
                "verdict=allowed path=/emails\n"
                "box-egress 1796526782 frontend=egress.alice.anthropic method=GET status=403 "
                "verdict=- path=/v1/files\n");
        f.close();

        EgressLogView view;
        view.setLogFile(log);
        view.setBox(QStringLiteral("alice"));
        QSignalSpy loaded(&view, &EgressLogView::loaded);
        view.refresh();
        QVERIFY(loaded.wait(5000));
        QTreeWidget *t = view.table();
        QCOMPARE(t->topLevelItemCount(), 2);
        QCOMPARE(t->topLevelItem(0)->text(EgressLogView::PathColumn), QStringLiteral("/v1/files"));
        QCOMPARE(t->topLevelItem(0)->text(EgressLogView::VerdictColumn), QStringLiteral("denied"));
        QCOMPARE(t->topLevelItem(0)->text(EgressLogView::StatusColumn), QStringLiteral("403"));
        QCOMPARE(t->topLevelItem(1)->text(EgressLogView::UpstreamColumn),
                 QStringLiteral("anthropic"));
        QCOMPARE(t->topLevelItem(1)->text(EgressLogView::VerdictColumn), QStringLiteral("allowed"));

        // Switching boxes while a read is in flight: the old result never shows.
        view.refresh();
        view.setBox(QStringLiteral("bob"));
        QTest::qWait(300);
        QCOMPARE(t->topLevelItemCount(), 0);
        view.refresh();
        QVERIFY(loaded.wait(5000));
        QCOMPARE(t->topLevelItemCount(), 1);
        QCOMPARE(t->topLevelItem(0)->text(EgressLogView::PathColumn), QStringLiteral("/emails"));
    }

    void unreadableLogSaysSo()
    {
        EgressLogView view;
        view.setLogFile(QStringLiteral("/nonexistent/egress.log"));
        view.setBox(QStringLiteral("alice"));
        QSignalSpy loaded(&view, &EgressLogView::loaded);
        view.refresh();
        QVERIFY(loaded.wait(5000));
        QCOMPARE(view.table()->topLevelItemCount(), 0);
        QVERIFY2(view.status()->text().contains(QLatin1String("cannot read")),
                 qPrintable(view.status()->text()));
        view.setLogFile(QString());
        view.refresh();
        QVERIFY(view.status()->text().contains(QLatin1String("No egress log is configured")));
    }
};

QTEST_MAIN(tst_EgressLogView)
#include "tst_egresslogview.moc"
