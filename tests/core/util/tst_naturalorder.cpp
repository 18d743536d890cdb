// Names sort the way people count: barss-2 before barss-10, whatever the locale.
#include "core/util/naturalorder.h"

#include <QLocale>
#include <QTest>

#include <algorithm>

using bc::naturalCompare;
using bc::naturalLess;

class TestNaturalOrder : public QObject
{
    Q_OBJECT
private slots:
    void numbersByValue()
    {
        QStringList names{
            QStringLiteral("barss-100"), QStringLiteral("barss-10"),  QStringLiteral("barss-2"),
            QStringLiteral("barss-1"),   QStringLiteral("barss-101"), QStringLiteral("Barss-3"),
            QStringLiteral("alpha"),     QStringLiteral("barss-20a"), QStringLiteral("barss-20")};
        std::sort(names.begin(), names.end(), naturalLess);
        QCOMPARE(names, (QStringList{QStringLiteral("alpha"), QStringLiteral("barss-1"),
                                     QStringLiteral("barss-2"), QStringLiteral("Barss-3"),
                                     QStringLiteral("barss-10"), QStringLiteral("barss-20"),
                                     QStringLiteral("barss-20a"), QStringLiteral("barss-100"),
                                     QStringLiteral("barss-101")}));
    }

    void totalOrder()
    {
        // Equal to the collator (case) still orders one way, and only equal strings tie.
        QVERIFY(naturalCompare(QStringLiteral("Box"), QStringLiteral("box")) != 0);
        QCOMPARE(naturalCompare(QStringLiteral("Box"), QStringLiteral("box")),
                 -naturalCompare(QStringLiteral("box"), QStringLiteral("Box")));
        QCOMPARE(naturalCompare(QStringLiteral("box-7"), QStringLiteral("box-7")), 0);
        QVERIFY(naturalCompare(QString(), QStringLiteral("a")) < 0);
    }

    void sameUnderCLocale()
    {
        // Containers and CI run with LANG=C: numeric order must not depend on it.
        const QLocale before;
        QLocale::setDefault(QLocale::c());
        const bool less = naturalLess(QStringLiteral("n-9"), QStringLiteral("n-10"));
        QLocale::setDefault(before);
        QVERIFY(less);
    }
};

QTEST_GUILESS_MAIN(TestNaturalOrder)
#include "tst_naturalorder.moc"
