// Guards the layering: nothing under core/ may include a Qt GUI or Widgets header.
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
        const QString root = qEnvironmentVariable("BOX_SOURCE_DIR") + QStringLiteral("/core");
        QVERIFY(QFile::exists(root));
        static const QRegularExpression gui(QStringLiteral(
            "^\\s*#\\s*include\\s*[<\"]("
            "QtWidgets|QtGui|QtSvg|QWidget|QApplication|QGuiApplication|QMainWindow|QPainter|QPixmap|QIcon|QColor|QImage|QFont|QAction|QPalette|QAbstractButton|QDialog)\\b"),
            QRegularExpression::MultilineOption);
        QStringList offenders;
        int scanned = 0;
        QDirIterator it(root, {QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            ++scanned;
            if (gui.match(QString::fromUtf8(f.readAll())).hasMatch())
                offenders << path;
        }
        QVERIFY(scanned > 3);
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(QLatin1Char(' '))));
    }
};

QTEST_GUILESS_MAIN(tst_NoGui)
#include "tst_nogui.moc"
