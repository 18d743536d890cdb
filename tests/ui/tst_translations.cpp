// ctest: labels=gui;i18n timeout=120
// The console in German and in English: the catalogue built into the program answers every
// message of translations/box-console_de.ts; the real main window, its dialogs and Qt's own
// buttons and key names (qtbase_de) come up in German for a German locale and in English
// otherwise; and the box-console process picks its language from LANGUAGE / LANG as a user
// sets them, English when English comes first.
#include "core/boxes/boxinfo.h"
#include "core/boxes/boxmonitor.h"
#include "ui/deletedialog.h"
#include "ui/deploydialog.h"
#include "ui/languages.h"
#include "ui/mainwindow.h"
#include "ui/shortcutsdialog.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QHeaderView>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QXmlStreamReader>

using namespace bc;
using ui::Languages;

namespace {

struct Message
{
    QString context;
    QString source;
    QString comment;
    bool numerus = false;
    QStringList forms;
};

QList<Message> readCatalogue(const QString &path)
{
    QList<Message> out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return out;
    QXmlStreamReader xml(&file);
    QString context;
    Message m;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == u"name") {
            context = xml.readElementText();
        } else if (name == u"message") {
            m = Message{context,
                        {},
                        {},
                        xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes"),
                        {}};
        } else if (name == u"source") {
            m.source = xml.readElementText();
        } else if (name == u"comment") {
            m.comment = xml.readElementText();
        } else if (name == u"translation") {
            if (m.numerus) {
                while (xml.readNextStartElement())
                    m.forms << xml.readElementText();
            } else {
                m.forms << xml.readElementText();
            }
            out << m;
        }
    }
    return out;
}

QStringList menuTitles(QMainWindow &window)
{
    QStringList out;
    for (QAction *a : window.menuBar()->actions())
        out << a->text();
    return out;
}

QStringList toolbarTexts(QMainWindow &window)
{
    QStringList out;
    if (auto *tb = window.findChild<QToolBar *>(QStringLiteral("mainToolBar")))
        for (QAction *a : tb->actions())
            if (!a->isSeparator())
                out << a->text();
    return out;
}

QStringList headers(const QAbstractItemModel *model)
{
    QStringList out;
    for (int c = 0; c < model->columnCount(); ++c)
        out << model->headerData(c, Qt::Horizontal).toString();
    return out;
}

// The texts of a dialog button box's buttons, accelerators removed.
QStringList buttonTexts(const QWidget *dialog)
{
    QStringList out;
    for (const QDialogButtonBox *box : dialog->findChildren<QDialogButtonBox *>())
        for (const QAbstractButton *b : box->buttons())
            out << QString(b->text()).remove(u'&');
    return out;
}

ui::ShortcutsDialog *openShortcuts(ui::MainWindow &window)
{
    window.openShortcuts();
    return window.findChild<ui::ShortcutsDialog *>();
}

QString keysOf(ui::ShortcutsDialog *dialog, const QString &action)
{
    QTableWidget *t = dialog->table();
    for (int r = 0; r < t->rowCount(); ++r)
        if (t->item(r, 0)->text() == action)
            return t->item(r, 1)->text();
    return {};
}

boxes::BoxInfo box(const QString &name)
{
    boxes::BoxInfo b;
    b.name = name;
    b.backendId = QStringLiteral("docker:local");
    b.backendKind = QStringLiteral("docker");
    b.host = QStringLiteral("unix:///var/run/docker.sock");
    b.state = boxes::BoxInfo::State::Running;
    return b;
}

// `box-console --help` under the given LANGUAGE / LANG (the rest of the locale cleared).
QString helpOutput(const QString &language, const QString &lang)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *v : {"LANGUAGE", "LANG", "LC_ALL", "LC_MESSAGES"})
        env.remove(QString::fromLatin1(v));
    if (!language.isEmpty())
        env.insert(QStringLiteral("LANGUAGE"), language);
    env.insert(QStringLiteral("LANG"), lang);
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("BOX_BIN_DIR") + QStringLiteral("/box-console"),
            {QStringLiteral("--help")});
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return QString::fromUtf8(p.readAllStandardOutput());
}

} // namespace

class tst_Translations : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home; // XDG_CONFIG_HOME: the window's layout is saved here, not in ~

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
        qputenv("BOX_SECRET_STORE", "file");
        QCoreApplication::setOrganizationName(QStringLiteral("box-console-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_translations"));
    }

    void cleanup() { Languages::install(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void languageFollowsTheLocale()
    {
        QCOMPARE(Languages::languageFor(QLocale(QLocale::German, QLocale::Germany)),
                 QStringLiteral("de"));
        QCOMPARE(Languages::languageFor(QLocale(QLocale::German, QLocale::Austria)),
                 QStringLiteral("de"));
        QCOMPARE(Languages::languageFor(QLocale(QLocale::German, QLocale::Switzerland)),
                 QStringLiteral("de"));
        QCOMPARE(Languages::languageFor(QLocale(QLocale::English, QLocale::UnitedStates)),
                 QString());
        QCOMPARE(Languages::languageFor(QLocale(QLocale::French, QLocale::France)), QString());
        QCOMPARE(Languages::languageFor(QLocale::c()), QString());
    }

    // Every message of the committed catalogue comes back translated: the .qm in the
    // program is the catalogue. That its contexts are the ones tr() asks for (with the
    // namespace) is what the window checks below show.
    void everyMessageIsTranslatedAtRunTime()
    {
        const QList<Message> messages =
            readCatalogue(qEnvironmentVariable("BOX_SOURCE_DIR") +
                          QStringLiteral("/translations/box-console_de.ts"));
        QVERIFY2(messages.size() > 700, qPrintable(QString::number(messages.size())));
        QCOMPARE(Languages::install(QLocale(QLocale::German, QLocale::Germany)),
                 QStringLiteral("de"));
        int checked = 0;
        for (const Message &m : messages) {
            const QByteArray context = m.context.toUtf8();
            const QByteArray source = m.source.toUtf8();
            const QByteArray comment = m.comment.toUtf8();
            const char *disambiguation = m.comment.isEmpty() ? nullptr : comment.constData();
            if (m.numerus) {
                QCOMPARE(m.forms.size(), 2);
                for (int n : {1, 2}) {
                    QString expected = m.forms.at(n == 1 ? 0 : 1);
                    expected.replace(QStringLiteral("%n"), QString::number(n));
                    QCOMPARE(QCoreApplication::translate(context.constData(), source.constData(),
                                                         disambiguation, n),
                             expected);
                }
            } else {
                QCOMPARE(QCoreApplication::translate(context.constData(), source.constData(),
                                                     disambiguation),
                         m.forms.value(0));
            }
            ++checked;
        }
        QCOMPARE(checked, int(messages.size()));
        qInfo("%d messages translated at run time", checked);
    }

    void germanMainWindow()
    {
        QCOMPARE(Languages::install(QLocale(QLocale::German, QLocale::Germany)),
                 QStringLiteral("de"));
        boxes::BoxMonitor monitor;
        ui::MainWindow window(&monitor);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QCOMPARE(window.windowTitle(), QStringLiteral("Box Console")); // the product's name
        QCOMPARE(menuTitles(window),
                 QStringList({QStringLiteral("&Datei"), QStringLiteral("&Box"),
                              QStringLiteral("&Ansicht"), QStringLiteral("&Hilfe")}));
        const QStringList tools = toolbarTexts(window);
        for (const char *text :
             {"Be&reitstellen…", "&Image bauen…", "&Starten", "St&oppen", "&Neu starten",
              "&Löschen…", "&URL öffnen", "&Terminal öffnen", "&Aktualisieren", "&Einstellungen…"})
            QVERIFY2(tools.contains(QString::fromUtf8(text)),
                     qPrintable(QString::fromUtf8(text) + u" not in " + tools.join(u", ")));
        const QStringList columns = headers(window.table()->model());
        for (const char *text :
             {"Name", "Besitzer", "Status", "Gesundheit", "Speicher", "Laufzeit"})
            QVERIFY2(columns.contains(QString::fromUtf8(text)), qPrintable(columns.join(u", ")));
        bool filterFound = false;
        for (QLineEdit *edit : window.findChildren<QLineEdit *>())
            filterFound = filterFound || edit->placeholderText().startsWith(u"Boxen filtern:");
        QVERIFY(filterFound);

        // A dialog of the console with Qt's standard button (qtbase_de.qm).
        ui::ShortcutsDialog *keys = openShortcuts(window);
        QVERIFY(keys);
        QCOMPARE(keys->windowTitle(), QStringLiteral("Tastenkürzel"));
        QCOMPARE(keys->table()->horizontalHeaderItem(0)->text(), QStringLiteral("Aktion"));
        QCOMPARE(buttonTexts(keys), QStringList{QStringLiteral("Schließen")});
        QCOMPARE(keysOf(keys, QStringLiteral("Bereitstellen")), QStringLiteral("Strg+N"));
        keys->close();

        // The deploy dialog: its own buttons and Qt's Cancel.
        ui::DeployDialog *deploy = window.openDeployDialog();
        QVERIFY(deploy);
        QCOMPARE(deploy->windowTitle(), QStringLiteral("Box bereitstellen"));
        const QStringList deployButtons = buttonTexts(deploy);
        for (const char *text : {"Spezifikationsdatei öffnen…", "Bereitstellen", "Abbrechen"})
            QVERIFY2(deployButtons.contains(QString::fromUtf8(text)),
                     qPrintable(deployButtons.join(u", ")));
        deploy->close();

        // Plural forms: two boxes to delete.
        ui::DeleteDialog remove({box(QStringLiteral("alice")), box(QStringLiteral("bob"))},
                                &window);
        QCOMPARE(remove.windowTitle(), QStringLiteral("2 Boxen löschen?"));
        QCOMPARE(remove.deleteButton()->text(), QStringLiteral("2 Boxen löschen"));
        QVERIFY(buttonTexts(&remove).contains(QStringLiteral("Abbrechen")));
        window.close();
    }

    void englishByDefault()
    {
        QCOMPARE(Languages::install(QLocale(QLocale::English, QLocale::UnitedStates)), QString());
        boxes::BoxMonitor monitor;
        ui::MainWindow window(&monitor);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(menuTitles(window),
                 QStringList({QStringLiteral("&File"), QStringLiteral("&Box"),
                              QStringLiteral("&View"), QStringLiteral("&Help")}));
        const QStringList tools = toolbarTexts(window);
        QVERIFY2(tools.contains(QStringLiteral("&Deploy…")), qPrintable(tools.join(u", ")));
        QVERIFY2(tools.contains(QStringLiteral("S&top")), qPrintable(tools.join(u", ")));
        QVERIFY(headers(window.table()->model()).contains(QStringLiteral("Health")));
        ui::ShortcutsDialog *keys = openShortcuts(window);
        QVERIFY(keys);
        QCOMPARE(keys->windowTitle(), QStringLiteral("Keyboard shortcuts"));
        QCOMPARE(buttonTexts(keys), QStringList{QStringLiteral("Close")});
        QCOMPARE(keysOf(keys, QStringLiteral("Deploy")), QStringLiteral("Ctrl+N"));
        ui::DeleteDialog remove({box(QStringLiteral("alice")), box(QStringLiteral("bob"))},
                                &window);
        QCOMPARE(remove.windowTitle(), QStringLiteral("Delete 2 boxes?"));
        window.close();
    }

    // The program itself: LANGUAGE and LANG as a user sets them (--help needs no engine).
    void processFollowsTheUsersLanguages()
    {
        const QString german = helpOutput(QStringLiteral("de"), QStringLiteral("de_DE.UTF-8"));
        QVERIFY2(
            german.contains(u"Desktop-Konsole für Agent-Boxen auf Docker-Engines und Coolify."),
            qPrintable(german));
        QVERIFY2(german.contains(u"Aufruf:"), qPrintable(german)); // Qt's own catalogue
        QVERIFY2(german.contains(u"<Modus>"), qPrintable(german));

        const QString english = helpOutput(QString(), QStringLiteral("C.UTF-8"));
        QVERIFY2(
            english.contains(u"Desktop console for agent boxes on Docker engines and Coolify."),
            qPrintable(english));
        QVERIFY2(english.contains(u"Usage:"), qPrintable(english));

        // English preferred over German: the sources, not the next language on the list.
        const QString englishFirst =
            helpOutput(QStringLiteral("en_US:de"), QStringLiteral("de_DE.UTF-8"));
        QVERIFY2(englishFirst.contains(u"Desktop console for agent boxes"),
                 qPrintable(englishFirst));

        // No French catalogue: the user's next language, German.
        const QString frenchFirst =
            helpOutput(QStringLiteral("fr:de"), QStringLiteral("fr_FR.UTF-8"));
        QVERIFY2(frenchFirst.contains(u"Desktop-Konsole für Agent-Boxen"), qPrintable(frenchFirst));
    }
};

QTEST_MAIN(tst_Translations)
#include "tst_translations.moc"
