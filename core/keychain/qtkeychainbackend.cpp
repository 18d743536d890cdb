// The keychain module: SecretStore's KeychainBackend over QtKeychain, built as
// libbox-keychain.so and loaded on first use (see core/util/keychainbackend.h).
#include "core/util/keychainbackend.h"

#include <qt6keychain/keychain.h>

namespace {

using bc::util::KeychainBackend;

class QtKeychainBackend final : public KeychainBackend
{
public:
    void read(const QString &service, const QString &key, Callback done) override
    {
        auto *job = new QKeychain::ReadPasswordJob(service);
        run(
            job, key, [job] { return job->textData(); }, std::move(done));
    }
    void write(const QString &service, const QString &key, const QString &value,
               Callback done) override
    {
        auto *job = new QKeychain::WritePasswordJob(service);
        job->setTextData(value);
        run(
            job, key, [] { return QString(); }, std::move(done));
    }
    void remove(const QString &service, const QString &key, Callback done) override
    {
        auto *job = new QKeychain::DeletePasswordJob(service);
        run(
            job, key, [] { return QString(); }, std::move(done));
    }

private:
    template <typename Value>
    static void run(QKeychain::Job *job, const QString &key, Value value, Callback done)
    {
        job->setAutoDelete(true);
        job->setKey(key);
        QObject::connect(job, &QKeychain::Job::finished, job, [job, value, done] {
            Reply reply;
            switch (job->error()) {
            case QKeychain::NoError:
                reply.status = Status::Ok;
                reply.value = value();
                break;
            case QKeychain::EntryNotFound:
                reply.status = Status::NotFound;
                break;
            // What QtKeychain reports where no Secret Service/KWallet answers (no D-Bus
            // session over SSH, CI): not a failure of the store, a reason to fall back.
            case QKeychain::NoBackendAvailable:
            case QKeychain::OtherError:
            case QKeychain::NotImplemented:
                reply.status = Status::NoBackend;
                break;
            default:
                reply.status = Status::Failed;
                break;
            }
            if (reply.status != Status::Ok)
                reply.error = job->errorString();
            done(reply);
        });
        job->start();
    }
};

} // namespace

extern "C" Q_DECL_EXPORT KeychainBackend *bc_keychain_backend_v1()
{
    static QtKeychainBackend backend;
    return &backend;
}
