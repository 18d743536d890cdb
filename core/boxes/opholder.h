#pragma once

#include <QString>

namespace bc::boxes::opholder {

// "<host>:<pid>:<process start ticks>": who runs an operation, written on its marker, so
// that recovery never rolls back an operation whose process is still alive.
QString current();

enum class Liveness { Alive, Dead, Unknown };
// Unknown for another host (recovery then goes by the marker's age).
Liveness liveness(const QString &holder);

} // namespace bc::boxes::opholder
