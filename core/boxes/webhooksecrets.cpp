#include "core/boxes/webhooksecrets.h"

#include "core/util/async.h"
#include "core/util/secretstore.h"

#include <QCoreApplication>
#include <QUuid>

#include <functional>
#include <memory>
#include <optional>

namespace bc::boxes {

using Kind = Error::Kind;
using util::SecretStore;

namespace {

// Continuations run on the application thread: keychain jobs need its event loop.
template <typename T, typename F> void onDone(QFuture<T> future, F &&handler)
{
    future.then(QCoreApplication::instance(), std::forward<F>(handler));
}

QString fieldOf(int index)
{
    return QStringLiteral("webhooks[%1]").arg(index);
}

// One store operation after the other (keychain backends serialise them anyway, and a
// failed write must stop the ones after it).
struct Steps
{
    std::function<QFuture<VoidResult>(int)> step;
    int count = 0;
    bool stopOnError = true;
};

void runSteps(std::shared_ptr<Steps> steps, int index, std::optional<Error> firstError,
              AsyncResult<void> async)
{
    if (index >= steps->count) {
        async.finish(firstError ? VoidResult(*firstError) : VoidResult{});
        return;
    }
    onDone(steps->step(index), [steps, index, firstError, async](const VoidResult &r) mutable {
        if (!r && !firstError)
            firstError = r.error();
        if (!r && steps->stopOnError) {
            async.finish(*firstError);
            return;
        }
        runSteps(steps, index + 1, firstError, async);
    });
}

QFuture<VoidResult> inSequence(int count, std::function<QFuture<VoidResult>(int)> step,
                               bool stopOnError)
{
    AsyncResult<void> async;
    auto steps = std::make_shared<Steps>(Steps{std::move(step), count, stopOnError});
    runSteps(steps, 0, std::nullopt, async);
    return async.future();
}

} // namespace

QString WebhookSecrets::newKey()
{
    return QStringLiteral("webhook.") + QUuid::createUuid().toString(QUuid::Id128);
}

QFuture<Result<QList<Webhook>>> WebhookSecrets::resolve(const QList<Webhook> &webhooks)
{
    auto out = std::make_shared<QList<Webhook>>(webhooks);
    AsyncResult<QList<Webhook>> async;
    const auto step = [out](int i) -> QFuture<VoidResult> {
        const Webhook w = out->at(i);
        if (w.secretKey.isEmpty())
            return readyFuture<void>(VoidResult{}); // an old file's URL, in clear
        AsyncResult<void> one;
        onDone(SecretStore::read(w.secretKey), [out, i, w, one](const Result<QString> &r) {
            const QString field = fieldOf(i) + QStringLiteral(".url");
            if (!r) {
                one.finish(
                    r.error().kind() == Kind::NotFound
                        ? Error(Kind::Invalid, QStringLiteral("%1: not in the secret store (%2); "
                                                              "add the webhook again")
                                                   .arg(field, w.secretKey))
                        : Error(r.error().kind(),
                                QStringLiteral("%1: %2").arg(field, r.error().message())));
                return;
            }
            Webhook resolved = w;
            resolved.url = r.value().trimmed();
            // What the store holds is checked like a typed URL: the file is user-editable.
            if (auto ok = ConsoleSettings::validateWebhook(resolved, fieldOf(i)); !ok) {
                one.finish(ok.error());
                return;
            }
            (*out)[i] = resolved;
            one.finish({});
        });
        return one.future();
    };
    onDone(inSequence(int(webhooks.size()), step, true), [out, async](const VoidResult &r) {
        async.finish(r ? Result<QList<Webhook>>(*out) : Result<QList<Webhook>>(r.error()));
    });
    return async.future();
}

QFuture<Result<QList<Webhook>>> WebhookSecrets::load(const ConsoleSettings &settings)
{
    auto stored = settings.webhooks();
    if (!stored)
        return readyFuture<QList<Webhook>>(stored.error());
    return resolve(stored.value());
}

QFuture<Result<QList<Webhook>>> WebhookSecrets::storeUrls(const QList<Webhook> &webhooks)
{
    for (int i = 0; i < webhooks.size(); ++i)
        if (auto ok = ConsoleSettings::validateWebhook(webhooks.at(i), fieldOf(i)); !ok)
            return readyFuture<QList<Webhook>>(ok.error());
    auto out = std::make_shared<QList<Webhook>>(webhooks);
    auto written = std::make_shared<QStringList>();
    const auto step = [out, written](int i) -> QFuture<VoidResult> {
        Webhook &w = (*out)[i];
        if (w.url.trimmed().isEmpty())
            return readyFuture<void>(VoidResult{}); // unchanged: keeps its key
        const QString key = newKey();
        const QString url = w.url.trimmed();
        AsyncResult<void> one;
        onDone(SecretStore::write(key, url), [out, written, i, key, url, one](const VoidResult &r) {
            if (!r) {
                one.finish(
                    Error(r.error().kind(),
                          QStringLiteral("%1.url: %2").arg(fieldOf(i), r.error().message())));
                return;
            }
            *written << key;
            Webhook &stored = (*out)[i];
            stored.secretKey = key;
            stored.display = ConsoleSettings::maskWebhookUrl(url);
            stored.url.clear();
            one.finish({});
        });
        return one.future();
    };
    AsyncResult<QList<Webhook>> async;
    onDone(inSequence(int(webhooks.size()), step, true), [out, written,
                                                          async](const VoidResult &r) {
        if (r) {
            async.finish(*out);
            return;
        }
        // Nothing refers to them: settings are written only after every URL is stored.
        onDone(removeKeys(*written), [r, async](const VoidResult &) { async.finish(r.error()); });
    });
    return async.future();
}

QStringList WebhookSecrets::staleKeys(const QStringList &before, const QList<Webhook> &after)
{
    QStringList stale;
    for (const QString &key : before) {
        bool kept = false;
        for (const Webhook &w : after)
            kept = kept || w.secretKey == key;
        if (!kept && !stale.contains(key))
            stale << key;
    }
    return stale;
}

QFuture<VoidResult> WebhookSecrets::removeKeys(const QStringList &keys)
{
    return inSequence(
        int(keys.size()), [keys](int i) { return SecretStore::remove(keys.at(i)); }, false);
}

QFuture<VoidResult> WebhookSecrets::save(ConsoleSettings &settings, const QList<Webhook> &webhooks)
{
    AsyncResult<void> async;
    ConsoleSettings *target = &settings;
    onDone(storeUrls(webhooks), [target, async](const Result<QList<Webhook>> &stored) {
        if (!stored) {
            async.finish(stored.error());
            return;
        }
        // Read just before writing: another save may have replaced keys since.
        const QStringList before = target->webhookSecretKeys();
        target->setWebhooks(stored.value());
        target->sync();
        onDone(removeKeys(staleKeys(before, stored.value())),
               [async](const VoidResult &r) { async.finish(r); });
    });
    return async.future();
}

} // namespace bc::boxes
