#pragma once

#include "core/boxes/consolesettings.h"
#include "core/result.h"

#include <QFuture>
#include <QList>
#include <QString>
#include <QStringList>

namespace bc::boxes {

// The URLs of the alert webhooks in util::SecretStore (keychain, or the 0600 file), one key
// "webhook.<random id>" each; the settings file keeps only that key, the kind and a masked
// form (ConsoleSettings::webhooks). A webhook URL is a credential (a Slack URL carries its
// token) and the settings file is plain text that backups and support bundles copy.
// A new or replaced URL always gets a new key, so a key's value never changes under a
// reader; a key no entry names any more is removed after the settings were written.
// Errors name fields and keys, never a URL.
class WebhookSecrets
{
public:
    static QString newKey();

    // Fills in the URL of every entry that has a secretKey. A key missing from the store is
    // Invalid: "webhooks[N].url: not in the secret store (webhook.…); add the webhook again".
    static QFuture<Result<QList<Webhook>>> resolve(const QList<Webhook> &webhooks);
    // settings.webhooks(), resolved: what the policy service posts to. Reads the settings
    // before returning; only the store is read asynchronously.
    static QFuture<Result<QList<Webhook>>> load(const ConsoleSettings &settings);

    // Checks every entry, then writes the URL of each entry that has one (typed, replaced or
    // read in clear from an old settings file) under a new key, and returns the entries as
    // references (url empty; secretKey and display set), in order. Entries without a URL
    // keep their key. On an error the keys written so far are removed again.
    static QFuture<Result<QList<Webhook>>> storeUrls(const QList<Webhook> &webhooks);
    // The keys of `before` that `after` does not name.
    static QStringList staleKeys(const QStringList &before, const QList<Webhook> &after);
    // Removes every key (a missing one is fine); the first error, after trying them all.
    static QFuture<VoidResult> removeKeys(const QStringList &keys);

    // storeUrls, then the references into `settings` (synced), then removeKeys of what the
    // settings named before and no longer do. `settings` must outlive the future. The GUI
    // runs the three steps itself so that each continuation is guarded by its widget.
    static QFuture<VoidResult> save(ConsoleSettings &settings, const QList<Webhook> &webhooks);
};

} // namespace bc::boxes
