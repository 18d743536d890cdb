#pragma once

#include "core/boxes/boxinfo.h"

#include <QObject>
#include <QSet>

#include <functional>

class QAction;
class QMainWindow;

namespace bc::boxes {
class BoxBackend;
}

namespace bc::ui {

class AlertCenter;
class BoxListModel;
class Notifier;

// The commands that act on the selected boxes (Start, Stop, Restart, Redeploy, Delete,
// Keep alive, Open URL, Copy exec command, Open terminal): enabled by what the selection
// allows, confirmed before they touch more than one box, their progress in the status bar,
// their failures as notifications and each in the activity log.
class BoxActions final : public QObject
{
    Q_OBJECT
public:
    using Selection = std::function<QList<boxes::BoxInfo>()>;
    using BackendLookup = std::function<boxes::BoxBackend *(const QString &backendId)>;

    BoxActions(QMainWindow *window, BoxListModel *model, Notifier *notifier, AlertCenter *alerts,
               Selection selection, BackendLookup backend);

    QAction *startAction() const { return m_start; }
    QAction *stopAction() const { return m_stop; }
    QAction *restartAction() const { return m_restart; }
    // Emits redeployRequested(): the deploy form is not this class's.
    QAction *redeployAction() const { return m_redeploy; }
    QAction *deleteAction() const { return m_delete; }
    QAction *keepAliveAction() const { return m_keepAlive; }
    QAction *openUrlAction() const { return m_openUrl; }
    QAction *copyExecAction() const { return m_copyExec; }
    QAction *terminalAction() const { return m_terminal; }

    // Enables the actions for the current selection.
    void updateEnabled();
    // Asks for confirmation (modal) and deletes the selected boxes.
    void deleteSelected();
    void deleteBoxes(const QList<boxes::BoxInfo> &boxes, bool keepData);
    // Being deleted from this console: its disappearance is no news.
    bool isDeleting(const QString &key) const { return m_deleting.contains(key); }
    QString execCommand(const boxes::BoxInfo &box) const;

signals:
    void redeployRequested();
    void deleted(const QString &key);
    // The engine may have deleted part of it: the list needs a re-read.
    void deleteFailed();

private:
    enum class Lifecycle { Start, Stop, Restart };
    void run(Lifecycle action);
    void keepAlive();
    QAction *createTerminalAction();

    QMainWindow *m_window;
    BoxListModel *m_model;
    Notifier *m_notifier;
    AlertCenter *m_alerts;
    Selection m_selection;
    BackendLookup m_backend;
    QSet<QString> m_deleting;

    QAction *m_start;
    QAction *m_stop;
    QAction *m_restart;
    QAction *m_redeploy;
    QAction *m_delete;
    QAction *m_keepAlive;
    QAction *m_openUrl;
    QAction *m_copyExec;
    QAction *m_terminal;
};

} // namespace bc::ui
