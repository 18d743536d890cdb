#include "core/boxes/boxsecrets.h"

#include "core/security/validators.h"
#include "core/util/async.h"
#include "core/util/json.h"
#include "core/util/secretstore.h"

#include <QCoreApplication>
#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace bc::boxes {

using Kind = Error::Kind;
using security::Validators;
using util::SecretStore;

namespace {

const QString kIndexKey = QStringLiteral("box-secret-index");

Error invalid(const QString &name, const QString &why)
{
    return Error(Kind::Invalid, QStringLiteral("secrets.%1: %2").arg(name, why));
}

// Continuations run on the application thread: keychain jobs need its event loop.
template <typename T, typename F> void onDone(QFuture<T> future, F &&handler)
{
    future.then(QCoreApplication::instance(), std::forward<F>(handler));
}

QStringList parseIndex(const QString &text)
{
    QStringList names;
    const auto index = util::json::parse(text.toUtf8(), QString());
    if (index && index->is_array()) {
        for (const util::json::Json &v : index.value())
            if (v.is_string() && BoxSecrets::checkName(util::json::qstring(v)))
                names << util::json::qstring(v);
    }
    names.removeDuplicates();
    names.sort();
    return names;
}

QFuture<Result<QStringList>> readIndex()
{
    AsyncResult<QStringList> async;
    onDone(SecretStore::read(kIndexKey), [async](const Result<QString> &r) {
        if (!r) {
            if (r.error().kind() == Kind::NotFound)
                async.finish(QStringList{});
            else
                async.finish(r.error().withContext(QStringLiteral("secret index")));
            return;
        }
        async.finish(parseIndex(r.value()));
    });
    return async.future();
}

// Read-modify-write of the index; the secret itself was written or removed before.
QFuture<VoidResult> updateIndex(const QString &name, bool present)
{
    AsyncResult<void> async;
    onDone(readIndex(), [async, name, present](const Result<QStringList> &index) {
        if (!index) {
            async.finish(index.error());
            return;
        }
        QStringList names = index.value();
        if (present == names.contains(name)) {
            async.finish({});
            return;
        }
        if (present)
            names << name;
        else
            names.removeAll(name);
        names.sort();
        const QString text = QString::fromUtf8(util::json::dump(util::json::array(names)));
        onDone(SecretStore::write(kIndexKey, text), [async](const VoidResult &w) {
            async.finish(w ? VoidResult{} : VoidResult(w.error().withContext(u"secret index"_s)));
        });
    });
    return async.future();
}

} // namespace

QString BoxSecrets::storeKey(const QString &name)
{
    return QStringLiteral("box-secret.") + name;
}

VoidResult BoxSecrets::checkName(const QString &name)
{
    // The rules live with the spec's (core/security), so that a spec and the store agree.
    if (auto r = Validators::validateBoxSecretName(name); !r)
        return invalid(Validators::validateSecretName(name) ? name : Validators::printable(name),
                       r.error().message());
    return {};
}

QFuture<Result<QString>> BoxSecrets::read(const QString &name)
{
    if (auto c = checkName(name); !c)
        return readyFuture<QString>(c.error());
    AsyncResult<QString> async;
    onDone(SecretStore::read(storeKey(name)), [async, name](const Result<QString> &r) {
        if (r) {
            async.finish(r.value());
        } else if (r.error().kind() == Kind::NotFound) {
            async.finish(
                invalid(name, QStringLiteral("not found in the secret store; store it with `boxctl "
                                             "secret set %1`")
                                  .arg(name)));
        } else {
            // SecretStore errors name keys, never values.
            async.finish(Error(r.error().kind(),
                               QStringLiteral("secrets.%1: %2").arg(name, r.error().message())));
        }
    });
    return async.future();
}

QFuture<VoidResult> BoxSecrets::set(const QString &name, const QString &value)
{
    if (auto c = checkName(name); !c)
        return readyFuture<void>(c.error());
    if (!Validators::validateEnvValue(value))
        return readyFuture<void>(
            invalid(name, QStringLiteral("the value holds a NUL character or is too long")));
    AsyncResult<void> async;
    onDone(SecretStore::write(storeKey(name), value), [async, name](const VoidResult &w) {
        if (!w) {
            async.finish(w.error());
            return;
        }
        onDone(updateIndex(name, true), [async](const VoidResult &i) { async.finish(i); });
    });
    return async.future();
}

QFuture<VoidResult> BoxSecrets::remove(const QString &name)
{
    if (!Validators::validateSecretName(name))
        return readyFuture<void>(invalid(Validators::printable(name), u"invalid name"_s));
    AsyncResult<void> async;
    onDone(SecretStore::remove(storeKey(name)), [async, name](const VoidResult &w) {
        if (!w) {
            async.finish(w.error());
            return;
        }
        onDone(updateIndex(name, false), [async](const VoidResult &i) { async.finish(i); });
    });
    return async.future();
}

QFuture<Result<QStringList>> BoxSecrets::list()
{
    return readIndex();
}

} // namespace bc::boxes
