#include "core/util/secretstore.h"

#include "core/util/async.h"
#include "core/util/json.h"
#include "core/util/jsonlenient.h"
#include "core/util/keychainloader.h"

#include <QDir>
#include <QFile>
#include <QMutex>
#include <QStandardPaths>
#include <QtConcurrent>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <type_traits>
#include <unistd.h>

namespace bc::util {

static const QString kService = QStringLiteral("box-console");

enum class Mode { Undecided, Keychain, File };
static std::atomic<Mode> s_mode{Mode::Undecided};
static QMutex s_fileMutex; // one reader/writer of the fallback file per process

static Mode configuredMode()
{
    const QString forced = qEnvironmentVariable("BOX_SECRET_STORE").toLower();
    if (forced == QLatin1String("file"))
        return Mode::File;
    if (forced == QLatin1String("keychain"))
        return Mode::Keychain;
    return s_mode.load();
}

static bool forcedKeychain()
{
    return qEnvironmentVariable("BOX_SECRET_STORE").toLower() == QLatin1String("keychain");
}

QString SecretStore::fallbackFilePath()
{
    // GenericConfigLocation, not AppConfigLocation: boxctl and box-console must share it.
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/box-console/secrets.json");
}

bool SecretStore::usingFallback()
{
    return configuredMode() == Mode::File;
}

static void switchToFile(const QString &reason)
{
    s_mode.store(Mode::File);
    static std::atomic_bool warned{false};
    if (!warned.exchange(true)) {
        qWarning("box-console: no keychain service (%s); secrets are kept in %s (mode 0600)",
                 qPrintable(reason),
                 qPrintable(QDir::toNativeSeparators(SecretStore::fallbackFilePath())));
    }
}

// --- file fallback -------------------------------------------------------------------------

static Result<json::Json> loadFile(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return json::Json::object();
    if (!file.open(QIODevice::ReadOnly))
        return Error(Error::Kind::Io,
                     QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    const auto doc = json::parse(file.readAll(), path, Error::Kind::Io);
    if (!doc || !doc->is_object())
        return Error(Error::Kind::Io, QStringLiteral("%1 is not a JSON object").arg(path));
    return doc.value();
}

// Writes a temporary file created 0600 (never readable by others, not even briefly),
// fsyncs it and renames it over the old one, so a crash leaves the old or the new file.
static VoidResult saveFile(const QString &path, const json::Json &object)
{
    const QString dir = QFileInfo(path).absolutePath();
    const QByteArray dirBytes = QFile::encodeName(dir);
    if (!QDir().mkpath(dir))
        return Error(Error::Kind::Io, QStringLiteral("cannot create %1").arg(dir));
    ::chmod(dirBytes.constData(), 0700);
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temp = target + ".tmp" + QByteArray::number(::getpid());
    const int fd =
        ::open(temp.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return Error(Error::Kind::Io, QStringLiteral("cannot create %1: %2")
                                          .arg(QFile::decodeName(temp),
                                               QString::fromLocal8Bit(std::strerror(errno))));
    ::fchmod(fd, 0600); // a stale temp file left by a crash may have other bits
    // The layout Qt's JSON writer gave the file: four-space indent, a final newline.
    const QByteArray data = json::dump(object, 4) + '\n';
    qsizetype written = 0;
    while (written < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + written, size_t(data.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int saved = errno;
            ::close(fd);
            ::unlink(temp.constData());
            return Error(Error::Kind::Io,
                         QStringLiteral("cannot write %1: %2")
                             .arg(path, QString::fromLocal8Bit(std::strerror(saved))));
        }
        written += n;
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced || ::rename(temp.constData(), target.constData()) != 0) {
        const int saved = errno;
        ::unlink(temp.constData());
        return Error(Error::Kind::Io, QStringLiteral("cannot replace %1: %2")
                                          .arg(path, QString::fromLocal8Bit(std::strerror(saved))));
    }
    return {};
}

static QFuture<Result<QString>> fileRead(const QString &key)
{
    return QtConcurrent::run([key]() -> Result<QString> {
        QMutexLocker lock(&s_fileMutex);
        auto object = loadFile(SecretStore::fallbackFilePath());
        if (!object)
            return object.error();
        const json::Json &value = json::member(object.value(), json::utf8(key).c_str());
        if (!value.is_string())
            return Error(Error::Kind::NotFound, QStringLiteral("no secret '%1'").arg(key));
        return json::qstring(value);
    });
}

static QFuture<VoidResult> fileWrite(const QString &key, const std::optional<QString> &value)
{
    return QtConcurrent::run([key, value]() -> VoidResult {
        QMutexLocker lock(&s_fileMutex);
        const QString path = SecretStore::fallbackFilePath();
        auto object = loadFile(path);
        if (!object)
            return object.error();
        json::Json updated = object.value();
        const std::string k = json::utf8(key);
        if (value)
            updated[k] = json::utf8(*value);
        else if (!updated.contains(k))
            return {};
        else
            updated.erase(k);
        return saveFile(path, updated);
    });
}

// --- keychain --------------------------------------------------------------------------------

template <typename T> static void forward(QFuture<Result<T>> future, AsyncResult<T> async)
{
    future.then([async](const Result<T> &result) { async.finish(result); });
}

// Runs one keychain operation; onOk turns a successful reply (or nullptr: entry not found)
// into the result, onFallback redoes the operation on the file.
template <typename T, typename Start, typename OnOk, typename OnFallback>
static QFuture<Result<T>> runKeychain(const QString &key, Start start, OnOk onOk,
                                      OnFallback onFallback)
{
    AsyncResult<T> async;
    QString loadError;
    KeychainBackend *backend = KeychainLoader::backend(&loadError);
    if (!backend) {
        if (forcedKeychain())
            async.finish(Error(Error::Kind::Io, QStringLiteral("keychain: %1").arg(loadError)));
        else {
            switchToFile(loadError);
            onFallback(async);
        }
        return async.future();
    }
    start(backend, [async, key, onOk, onFallback](const KeychainBackend::Reply &reply) {
        using Status = KeychainBackend::Status;
        if (reply.status == Status::Ok) {
            s_mode.store(Mode::Keychain);
            async.finish(onOk(&reply));
        } else if (reply.status == Status::NotFound) {
            // A secret stored where no keychain ran (boxctl over SSH) is still found.
            if constexpr (std::is_same_v<T, QString>) {
                if (QFile::exists(SecretStore::fallbackFilePath())) {
                    onFallback(async);
                    return;
                }
            }
            async.finish(onOk(nullptr));
        } else if (reply.status == Status::NoBackend && !forcedKeychain()) {
            switchToFile(reply.error);
            onFallback(async);
        } else {
            async.finish(Error(Error::Kind::Io,
                               QStringLiteral("keychain: %1 (secret '%2')").arg(reply.error, key)));
        }
    });
    return async.future();
}

QFuture<Result<QString>> SecretStore::read(const QString &key)
{
    if (configuredMode() == Mode::File)
        return fileRead(key);
    return runKeychain<QString>(
        key,
        [key](KeychainBackend *b, KeychainBackend::Callback done) {
            b->read(kService, key, std::move(done));
        },
        [key](const KeychainBackend::Reply *reply) -> Result<QString> {
            if (!reply)
                return Error(Error::Kind::NotFound, QStringLiteral("no secret '%1'").arg(key));
            return reply->value;
        },
        [key](AsyncResult<QString> a) { forward(fileRead(key), a); });
}

QFuture<VoidResult> SecretStore::write(const QString &key, const QString &value)
{
    if (configuredMode() == Mode::File)
        return fileWrite(key, value);
    return runKeychain<void>(
        key,
        [key, value](KeychainBackend *b, KeychainBackend::Callback done) {
            b->write(kService, key, value, std::move(done));
        },
        [](const KeychainBackend::Reply *) -> VoidResult { return {}; },
        [key, value](AsyncResult<void> a) { forward(fileWrite(key, value), a); });
}

QFuture<VoidResult> SecretStore::remove(const QString &key)
{
    if (configuredMode() == Mode::File)
        return fileWrite(key, std::nullopt);
    return runKeychain<void>(
        key,
        [key](KeychainBackend *b, KeychainBackend::Callback done) {
            b->remove(kService, key, std::move(done));
        },
        [](const KeychainBackend::Reply *) -> VoidResult { return {}; },
        [key](AsyncResult<void> a) { forward(fileWrite(key, std::nullopt), a); });
}

} // namespace bc::util
