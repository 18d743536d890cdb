#pragma once

#include <QString>
#include <QStringList>

namespace bc::boxes {

// What a deploy (or delete) has created so far, on disk, for the case the rollback itself cannot
// run (the engine went away mid-deploy and did not come back in time, or the process died). The
// next deploy or delete of the same box on the same engine removes what is listed; everything
// listed also carries box-console.deploy=<id>, so a label-based gc finds it too. Names are written
// BEFORE the call that creates them is sent (an intent: removing what was never created is a
// no-op), so a kill between the call and its answer leaves nothing unrecorded. BoxRecovery works
// from the engine alone when the file is lost. One small JSON file per engine and box; written on
// every change (a few hundred bytes).
class DeployJournal
{
public:
    struct Entry
    {
        QString deployId;
        QString endpoint;
        QString box;
        QStringList containers;
        QStringList volumes;
        QStringList networks;
        QStringList images;
        // The operation: "deploy", "redeploy" or "delete"; its engine-side marker volume
        // (written as an intent before it is created, see oplabels.h).
        QString kind = QStringLiteral("deploy");
        QString marker;
        // Redeploy: the previous container, renamed aside until the new one is healthy.
        QString previous;
        bool previousRunning = false;
        bool isEmpty() const
        {
            return containers.isEmpty() && volumes.isEmpty() && networks.isEmpty() &&
                   images.isEmpty() && marker.isEmpty() && previous.isEmpty();
        }
    };

    // $BOX_CONSOLE_STATE_DIR/deploy-journal, else the app's local data dir.
    static QString defaultDirectory();

    explicit DeployJournal(QString directory = {});

    bool write(const Entry &entry) const; // replaces the file of (endpoint, box)
    Entry read(const QString &endpoint, const QString &box) const; // empty when none
    void remove(const QString &endpoint, const QString &box) const;
    QList<Entry> all() const;
    QString directory() const { return m_dir; }

private:
    QString fileFor(const QString &endpoint, const QString &box) const;
    QString m_dir;
};

} // namespace bc::boxes
