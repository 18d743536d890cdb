#pragma once

#include "core/util/keychainbackend.h"

#include <QString>

namespace bc::util {

// Finds and loads the keychain module (libbox-keychain.so) once per process: next to the
// executable in ../lib/box-console (installed and build-tree layout alike), then in the
// build tree this binary was configured from (test programs live elsewhere).
class KeychainLoader
{
public:
    // nullptr with *error saying why when the module cannot be loaded.
    static KeychainBackend *backend(QString *error);
};

} // namespace bc::util
