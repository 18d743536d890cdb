#pragma once

#include <QString>

#include <functional>

namespace bc::util {

// What SecretStore needs from a system keychain. The QtKeychain implementation lives in a
// module (core/keychain) that KeychainLoader loads on first use: linking QtKeychain pulls
// QtDBus, libdbus, libsystemd and libgcrypt into every process start, which costs each
// `boxctl ps` about 0.9 ms although only the secret commands ever need it.
class KeychainBackend
{
public:
    enum class Status {
        Ok,
        NotFound,
        NoBackend, // no keychain service here (no D-Bus session, no Secret Service)
        Failed,
    };
    struct Reply
    {
        Status status = Status::Failed;
        QString value; // the secret, for a successful read
        QString error; // for anything but Ok; never contains the secret
    };
    using Callback = std::function<void(const Reply &)>;

    virtual ~KeychainBackend() = default;
    // Asynchronous; `done` runs once, on the calling thread, from its event loop.
    virtual void read(const QString &service, const QString &key, Callback done) = 0;
    virtual void write(const QString &service, const QString &key, const QString &value,
                       Callback done) = 0;
    virtual void remove(const QString &service, const QString &key, Callback done) = 0;
};

} // namespace bc::util

// The module's one exported symbol: returns its backend (owned by the module).
extern "C" {
using BcKeychainBackendFn = bc::util::KeychainBackend *(*)();
}
#define BC_KEYCHAIN_ENTRY_POINT "bc_keychain_backend_v1"
