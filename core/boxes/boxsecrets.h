#pragma once

#include "core/result.h"

#include <QFuture>
#include <QString>
#include <QStringList>

namespace bc::boxes {

// The secrets a box spec lists under "secrets": values the user stored with
// `boxctl secret set NAME`. A Docker deploy writes each into a read-only file
// /run/secrets/NAME of the box (owned by the box user, mode 0400) and sets
// NAME_FILE=/run/secrets/NAME; the value itself is never in the container's environment.
// They live in util::SecretStore (keychain, or the 0600 file) under "box-secret.<NAME>",
// apart from the console's own secrets (the Coolify token). Keychains cannot enumerate
// their entries, so the names (never the values) are also kept in "box-secret-index"
// for `boxctl secret ls`.
// Values never appear in errors, progress texts, labels or the spec hash.
class BoxSecrets
{
public:
    static QString storeKey(const QString &name);

    // A name usable as a box secret (Validators::validateBoxSecretName: the rules a spec's
    // "secrets" are checked with). Errors are Invalid and start with "secrets.<NAME>: ".
    static VoidResult checkName(const QString &name);

    // A missing secret is Invalid: "secrets.NAME: not found in the secret store; …".
    static QFuture<Result<QString>> read(const QString &name);
    static QFuture<VoidResult> set(const QString &name, const QString &value);
    // Removing a missing secret succeeds.
    static QFuture<VoidResult> remove(const QString &name);
    // Names only, sorted.
    static QFuture<Result<QStringList>> list();
};

} // namespace bc::boxes
