// ctest: labels=gui
// The one list of job steps: every step a box job can announce (a JobStep: BoxJob::startStep
// takes nothing else) has a stable wire name that reads back as the same step and a title
// in the deploy dialog, and no job in core/boxes announces a step by a string of its own.
#include "core/boxes/jobstep.h"
#include "support/paths.h"
#include "ui/deploydialog.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace bc;
using boxes::JobStep;

class tst_DeploySteps : public QObject
{
    Q_OBJECT
private slots:
    void everyStepHasNameAndTitle();
    void wireNamesAreStable();
    void jobsUseOnlyTypedSteps();
};

void tst_DeploySteps::everyStepHasNameAndTitle()
{
    QSet<QString> names;
    for (const JobStep step : boxes::allJobSteps()) {
        const QString name = boxes::jobStepName(step);
        QVERIFY2(!name.isEmpty(), qPrintable(QString::number(int(step))));
        QVERIFY2(!names.contains(name), qPrintable(name));
        names.insert(name);
        QCOMPARE(boxes::jobStepFromName(name), std::optional<JobStep>(step));
        for (const bool coolify : {false, true}) {
            const QString title = ui::DeployDialog::stepTitle(step, coolify);
            QVERIFY2(!title.isEmpty() && title != name, qPrintable(name));
        }
    }
    QVERIFY(!boxes::jobStepFromName(QStringLiteral("no-such-step")));
}

// What boxctl's `deploy --json` prints and error contexts carry (docs/boxctl-json.md).
void tst_DeploySteps::wireNamesAreStable()
{
    const QStringList expected{QStringLiteral("settings"), QStringLiteral("validate"),
                               QStringLiteral("quota"),    QStringLiteral("environment"),
                               QStringLiteral("build"),    QStringLiteral("volumes"),
                               QStringLiteral("network"),  QStringLiteral("create"),
                               QStringLiteral("env"),      QStringLiteral("start"),
                               QStringLiteral("health"),   QStringLiteral("commit"),
                               QStringLiteral("status"),   QStringLiteral("running"),
                               QStringLiteral("rollback"), QStringLiteral("stop"),
                               QStringLiteral("remove"),   QStringLiteral("revoke egress grant")};
    QStringList actual;
    for (const JobStep step : boxes::allJobSteps())
        actual << boxes::jobStepName(step);
    QCOMPARE(actual, expected);
}

void tst_DeploySteps::jobsUseOnlyTypedSteps()
{
    const QDir dir(test::sourceDir() + QStringLiteral("/core/boxes"));
    const QStringList files = dir.entryList({QStringLiteral("*.cpp"), QStringLiteral("*.h")});
    QVERIFY(files.size() > 10);
    static const QRegularExpression untyped(QStringLiteral(
        R"(emit\s+stepStarted\(|m_step\s*=\s*QStringLiteral|\bfail\(\s*QStringLiteral)"));
    for (const QString &file : files) {
        if (file == QLatin1String("boxjob.h"))
            continue; // BoxJob::startStep, the one emitter
        QFile f(dir.filePath(file));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        const QRegularExpressionMatch m = untyped.match(text);
        QVERIFY2(!m.hasMatch(), qPrintable(file + QStringLiteral(": ") + m.captured(0)));
    }
}

QTEST_MAIN(tst_DeploySteps)
#include "tst_deploysteps.moc"
