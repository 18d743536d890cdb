#pragma once

#include "core/result.h"

#include <QFuture>
#include <QString>

namespace bc::util {

// Secrets (the Coolify token, provider keys) in the system keychain through QtKeychain,
// service "box-console". Where no keychain service runs (headless machines, CI, SSH
// sessions without a D-Bus session) QtKeychain fails with NoBackendAvailable or
// OtherError; the store then falls back, for the rest of the process, to a JSON file
// readable only by the user (0600, <config>/box-console/secrets.json) and says so once.
// A read that the keychain cannot answer also looks in that file, so a token stored over
// SSH (no keychain) is found by the desktop session later.
//
// BOX_SECRET_STORE=file forces the file (tests, scripts); =keychain forbids the fallback.
// Values never appear in logs or error messages; keys may.
class SecretStore
{
public:
    // A missing key is Error::Kind::NotFound.
    static QFuture<Result<QString>> read(const QString &key);
    static QFuture<VoidResult> write(const QString &key, const QString &value);
    // Removing a missing key succeeds.
    static QFuture<VoidResult> remove(const QString &key);

    static QString fallbackFilePath();
    // True once the store has decided to use the file (forced or after a keychain failure).
    static bool usingFallback();
};

} // namespace bc::util
