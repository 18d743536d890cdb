// Guards the layering: nothing under core/ may include a Qt GUI or Widgets header, nor
// use Qt's JSON classes.
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

class tst_NoGui final : public QObject
{
    Q_OBJECT
private slots:
    void coreIncludesNoGuiHeader()
    {
        static const QRegularExpression gui(
            QStringLiteral(
                "^\\s*#\\s*include\\s*[<\"]("
                "QtWidgets|QtGui|QtSvg|QWidget|QApplication|QGuiApplication|QMainWindow|QPainter|"
                "QPixmap|QIcon|QColor|QImage|QFont|QAction|QPalette|QAbstractButton|QDialog)\\b"),
            QRegularExpression::MultilineOption);
        const QStringList offenders = coreFilesMatching(gui);
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(QLatin1Char(' '))));
    }

    // One JSON toolkit in core (core/util/json*.h, on nlohmann::json): Qt's JSON classes
    // beside it would bring back a second set of readers and a second serialisation.
    void coreUsesNoQtJson()
    {
        static const QRegularExpression qtJson(QStringLiteral("\\bQJson\\w*"));
        const QStringList offenders = coreFilesMatching(qtJson);
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(QLatin1Char(' '))));
    }

private:
    static QStringList coreFilesMatching(const QRegularExpression &pattern)
    {
        const QString root = qEnvironmentVariable("BOX_SOURCE_DIR") + QStringLiteral("/core");
        QStringList offenders;
        int scanned = 0;
        QDirIterator it(root, {QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                return {path + QStringLiteral(" (unreadable)")};
            ++scanned;
            if (pattern.match(QString::fromUtf8(f.readAll())).hasMatch())
                offenders << path;
        }
        if (scanned <= 3)
            return {root + QStringLiteral(" (no sources found)")};
        return offenders;
    }
};

QTEST_GUILESS_MAIN(tst_NoGui)
#include "tst_nogui.moc"
