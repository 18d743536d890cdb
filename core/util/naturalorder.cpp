#include "core/util/naturalorder.h"

#include <QCollator>

namespace bc {

namespace {

QCollator makeCollator()
{
    // Not the system locale: under C/POSIX (containers, CI) QCollator compares code units
    // and ignores numeric mode. English collation orders ASCII names as people expect.
    QCollator c{QLocale(QLocale::English, QLocale::UnitedStates)};
    c.setNumericMode(true);
    c.setCaseSensitivity(Qt::CaseInsensitive);
    c.setIgnorePunctuation(false);
    return c;
}

const QCollator &collator()
{
    thread_local const QCollator c = makeCollator();
    return c;
}

} // namespace

int naturalCompare(const QString &a, const QString &b)
{
    const int c = collator().compare(a, b);
    if (c != 0)
        return c;
    return a.compare(b);
}

QCollatorSortKey naturalSortKey(const QString &name)
{
    return collator().sortKey(name);
}

} // namespace bc
