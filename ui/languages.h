#pragma once

#include <QString>

class QLocale;

namespace bc::ui {

// The console's language: its catalogue (translations/box-console_<lang>.ts, built into the
// program as :/i18n/box-console_<lang>.qm) plus Qt's own for the standard buttons and
// dialogs. English, the language of the sources, needs neither.
class Languages
{
public:
    // The first of the locale's UI languages that the console has a catalogue for, or an
    // empty string when English comes first or none matches.
    static QString languageFor(const QLocale &locale);

    // Replaces the translators an earlier call installed with those for `locale` and
    // returns the language loaded ("de"), empty for English. Call it before the widgets are
    // made: they keep the texts they were given.
    static QString install(const QLocale &locale);
};

} // namespace bc::ui
