#pragma once

#include "core/result.h"

#include <QMap>
#include <QString>

namespace bc::docker {
class DockerClient;
}

namespace bc::boxes {

// One recovery per engine at a time (two consoles, a console and boxctl): a never-started
// container named box-console-lease, labelled with its holder and an expiry. Creating a
// container whose name is taken is refused by the engine (409) atomically, so exactly one
// process holds it; another takes it over only after it expired (a holder that died).
// Labels cannot change, so a renewal is a volume labelled with the lease container's id and
// the later expiry: the container, and with it the lease, is never let go in between.
// Blocking: for a worker thread or the CLI (it spins local event loops).
class EngineLease
{
public:
    // `name`: another lease than recovery's (the policy service holds its own).
    EngineLease(docker::DockerClient *client, QMap<QString, QString> extraLabels = {},
                int ttlSec = 120, QString name = {});
    ~EngineLease(); // releases a lease still held
    EngineLease(const EngineLease &) = delete;
    EngineLease &operator=(const EngineLease &) = delete;

    // true: held by this object; false: another holder's lease is live (see holder()).
    Result<bool> acquire();
    // Extends a held lease by the TTL from now (acquires one not held). false: it was taken
    // over meanwhile (this process was too late to renew) and is no longer held.
    Result<bool> renew();
    void release();
    bool isHeld() const { return !m_id.isEmpty(); }
    QString holder() const { return m_holder; } // the other holder when acquire() said false

private:
    Result<bool> tryCreate(bool mayTakeOver);
    qint64 renewedUntil(const QString &leaseId) const;

    docker::DockerClient *m_client;
    QMap<QString, QString> m_labels;
    int m_ttlSec;
    QString m_name;
    QString m_id;
    QString m_holder;
    QString m_renewal; // the newest renewal volume written by this holder
};

} // namespace bc::boxes
