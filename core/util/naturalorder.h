#pragma once

#include <QCollatorSortKey>
#include <QString>

namespace bc {

// The one order for names in every list (console table, boxctl ls/ps): numbers inside a
// name compare by value ("box-2" before "box-10"), letters without regard to case, the
// same on every machine whatever its locale. Ties fall back to a plain comparison so the
// order is total. Thread-safe (one collator per thread).
int naturalCompare(const QString &a, const QString &b);
inline bool naturalLess(const QString &a, const QString &b)
{
    return naturalCompare(a, b) < 0;
}
// The same order as a key, for sorting many names: keys compare as naturalCompare does
// before its tie-break, and one key per name is far cheaper than a collation per comparison.
QCollatorSortKey naturalSortKey(const QString &name);

} // namespace bc
