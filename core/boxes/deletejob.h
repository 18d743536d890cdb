#pragma once

#include "core/boxes/boxjob.h"
#include "core/boxes/deployjournal.h"
#include "core/boxes/deployoptions.h"

#include <QPointer>
#include <QStringList>

namespace bc::docker {
class DockerClient;
}

namespace bc::boxes {

// stop (with timeout) -> remove the container (and any other container labelled as this
// box, e.g. left by an interrupted deploy) -> remove its named volumes unless data is kept
// -> remove its network. What is already gone is not an error, so deleting twice works.
// Refuses containers that are not box-console boxes. Journalled and marked on the engine
// like a deploy; a delete that keeps data leaves a kept-data record (oplabels::keptVolume)
// that recovery and gc never touch.
class DeleteJob : public BoxJob
{
    Q_OBJECT
public:
    DeleteJob(docker::DockerClient *client, QString boxId, bool keepData, DeployOptions options,
              const BoxInfo &base, QObject *parent = nullptr);

    void cancel() override;

private:
    void begin();
    // Journals the delete and puts its marker on the engine (oplabels.h) before anything is
    // removed, so that recovery finishes a delete whose process died.
    void createMarker(std::function<void()> next);
    void writeKeptRecord();
    void removeMarker();
    void stopBox();
    void removeContainers();
    void removeLeftovers();
    void removeVolumes();
    void removeNetworks();
    void done();
    void fail(const Error &error, JobStep step);
    bool cancelled(JobStep step);

    // Runs `call` for each item; NotFound counts as done. Then `next`.
    template <typename Call>
    void forEach(QStringList items, JobStep step, Call call, std::function<void()> next);

    QPointer<docker::DockerClient> m_client;
    QString m_boxId;
    bool m_keepData;
    DeployOptions m_options;
    BoxInfo m_info;
    DeployJournal m_journal;
    QString m_name;
    QString m_containerId;
    bool m_cancelRequested = false;
    bool m_egressRevoked = false; // done() revokes the egress grant once
    QString m_opId;
    QString m_previousMarker;
    QString m_owner;
    DeployJournal::Entry m_entry;
};

} // namespace bc::boxes
