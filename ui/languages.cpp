#include "ui/languages.h"

#include <QCoreApplication>
#include <QFile>
#include <QLibraryInfo>
#include <QLocale>
#include <QPointer>
#include <QTranslator>

namespace bc::ui {

namespace {

QString cataloguePath(const QString &language)
{
    return QStringLiteral(":/i18n/box-console_") + language + QStringLiteral(".qm");
}

// Installed by the last install() and removed by the next one (tests switch languages).
QPointer<QTranslator> g_console;
QPointer<QTranslator> g_qt;

} // namespace

QString Languages::languageFor(const QLocale &locale)
{
    // uiLanguages() is the user's order (LANGUAGE=fr:de, else LC_ALL / LC_MESSAGES / LANG),
    // with each entry's shorter forms after it (de-DE, de). English before any catalogue
    // means the sources: QTranslator::load(QLocale) would skip past it to the next language.
    for (QString tag : locale.uiLanguages()) {
        tag.replace(u'-', u'_');
        const QString language = tag.section(u'_', 0, 0).toLower();
        if (language == QLatin1String("en") || language == QLatin1String("c"))
            return {};
        if (QFile::exists(cataloguePath(tag)))
            return tag;
        if (QFile::exists(cataloguePath(language)))
            return language;
    }
    return {};
}

QString Languages::install(const QLocale &locale)
{
    for (QPointer<QTranslator> *old : {&g_console, &g_qt}) {
        if (*old) {
            QCoreApplication::removeTranslator(*old);
            delete old->data();
        }
    }
    const QString language = languageFor(locale);
    if (language.isEmpty())
        return {};
    auto *console = new QTranslator(QCoreApplication::instance());
    if (!console->load(cataloguePath(language))) {
        delete console;
        return {};
    }
    QCoreApplication::installTranslator(console);
    g_console = console;
    // QDialogButtonBox's and QMessageBox's buttons, the file dialog, the line edit's context
    // menu, key names (Strg+N), --help: Qt's catalogue (Debian: qt6-translations-l10n), used
    // when it is installed.
    auto *qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(QStringLiteral("qtbase_") + language,
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
        g_qt = qt;
    } else {
        delete qt;
    }
    return language;
}

} // namespace bc::ui
