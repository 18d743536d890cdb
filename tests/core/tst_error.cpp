#include "core/error.h"
#include "core/result.h"
#include "core/util/async.h"
#include "support/testutil.h"

#include <QTest>

using bc::Error;

class tst_Error final : public QObject
{
    Q_OBJECT
private slots:
    void mapsHttpStatus_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("kind");
        QTest::newRow("404") << 404 << int(Error::Kind::NotFound);
        QTest::newRow("409") << 409 << int(Error::Kind::Conflict);
        QTest::newRow("400") << 400 << int(Error::Kind::Invalid);
        QTest::newRow("422") << 422 << int(Error::Kind::Invalid);
        QTest::newRow("401") << 401 << int(Error::Kind::Unauthorized);
        QTest::newRow("429") << 429 << int(Error::Kind::RateLimited);
        QTest::newRow("500") << 500 << int(Error::Kind::Server);
    }
    void mapsHttpStatus()
    {
        QFETCH(int, status);
        QFETCH(int, kind);
        const Error e = Error::fromHttpStatus(status, QStringLiteral("  boom \n"));
        QCOMPARE(int(e.kind()), kind);
        QCOMPARE(e.httpStatus(), status);
        QCOMPARE(e.message(), QStringLiteral("boom"));
    }
    void contextNests()
    {
        const Error e = Error(Error::Kind::NotFound, QStringLiteral("No such container: x"), 404)
                            .withContext(QStringLiteral("inspect x"))
                            .withContext(QStringLiteral("deploy box-a"));
        QCOMPARE(e.toString(),
                 QStringLiteral("deploy box-a: inspect x: No such container: x (HTTP 404)"));
    }
    void resultHoldsValueOrError()
    {
        bc::Result<int> ok = 5;
        QVERIFY(ok.ok());
        QCOMPARE(*ok, 5);
        bc::Result<int> bad = Error(Error::Kind::Timeout, QStringLiteral("slow"));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.valueOr(7), 7);
        QCOMPARE(bad.map([](int v) { return v * 2; }).error().kind(), Error::Kind::Timeout);
        QCOMPARE(*ok.map([](int v) { return v * 2; }), 10);
    }
    void asyncResultSettlesOnce()
    {
        bc::AsyncResult<int> a;
        QVERIFY(a.finish(1));
        QVERIFY(!a.finish(2));
        QCOMPARE(*bc::test::await(a.future()), 1);
    }
    void abandonedAsyncResultReportsCancelled()
    {
        QFuture<bc::Result<int>> f;
        {
            bc::AsyncResult<int> a;
            f = a.future();
        }
        QVERIFY(f.isFinished());
        QCOMPARE(f.result().error().kind(), Error::Kind::Cancelled);
    }
};

QTEST_GUILESS_MAIN(tst_Error)
#include "tst_error.moc"
