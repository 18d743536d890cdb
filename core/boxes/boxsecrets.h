#pragma once

#include "core/result.h"

#include <QFuture>
#include <QString>
#include <QStringList>

namespace bc::boxes {

// The secrets a box spec lists under "secrets": values the user stored with
// `boxctl secret set NAME`, put into the box's environment under NAME at deploy time.
// They live in util::SecretStore (keychain, or the 0600 file) under "box-secret.<NAME>",
// apart from the console's own secrets (the Coolify token). Keychains cannot enumerate
// their entries, so the names (never the values) are also kept in "box-secret-index"
// for `boxctl secret ls`.
// Values never appear in errors, progress texts, labels or the spec hash.
class BoxSecrets
{
public:
    static QString storeKey(const QString &name);

    // A name usable as a box secret: a secret name (Validators::validateSecretName) that is
    // also an environment variable name, and not a provider credential (the egress proxy
    // injects those; a box never holds one). Errors are Invalid and start with
    // "secrets.<NAME>: ".
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
