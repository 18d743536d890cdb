#include "ui/boxactions.h"

#include "core/activity/activitylog.h"
#include "core/boxes/boxlabels.h"
#include "core/boxes/coolifybackend.h"
#include "core/boxes/dockerbackend.h"
#include "core/docker/dockerclient.h"
#include "core/policy/keepalive.h"
#include "core/util/futureutil.h"
#include "ui/alertcenter.h"
#include "ui/consoleicon.h"
#include "ui/deletedialog.h"
#include "ui/models/boxlistmodel.h"
#include "ui/notifier.h"
#include "ui/terminal/terminaldock.h"
#include "ui/terminal/terminaltabs.h"
#include "ui/terminal/terminalwidget.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QMainWindow>
#include <QStatusBar>
#include <QUrl>

namespace bc::ui {

using boxes::BoxInfo;

namespace {

// The console's own box actions in the activity log (written on the log's thread).
void recordActivity(const QString &action, const QString &backend, const QString &box,
                    const util::json::Json &params, const Error *error)
{
    auto record = activity::ActivityRecord::make(action, backend, box, params);
    record.withOutcome(error);
    (void)activity::ActivityLog::instance().record(record);
}

int graceSeconds(const QList<BoxInfo> &boxes, const BoxActions::BackendLookup &lookup)
{
    for (const BoxInfo &b : boxes)
        if (auto *d = qobject_cast<boxes::DockerBackend *>(lookup(b.backendId)))
            return d->deployOptions().stopTimeoutSec;
    return 10;
}

} // namespace

BoxActions::BoxActions(QMainWindow *window, BoxListModel *model, Notifier *notifier,
                       AlertCenter *alerts, Selection selection, BackendLookup backend)
    : QObject(window)
    , m_window(window)
    , m_model(model)
    , m_notifier(notifier)
    , m_alerts(alerts)
    , m_selection(std::move(selection))
    , m_backend(std::move(backend))
{
    // Start, Stop and Restart on function keys: Ctrl+S, Ctrl+T and Ctrl+R mean Save, new
    // tab and reload everywhere else, and a box stopped by habit is an outage.
    m_start = new QAction(consoleIcon("start"), tr("&Start"), this);
    m_start->setShortcut(QKeySequence(Qt::Key_F7));
    m_stop = new QAction(consoleIcon("stop"), tr("S&top"), this);
    m_stop->setShortcut(QKeySequence(Qt::Key_F8));
    m_restart = new QAction(consoleIcon("restart"), tr("&Restart"), this);
    m_restart->setShortcut(QKeySequence(Qt::Key_F9));
    m_redeploy = new QAction(tr("Re&deploy…"), this);
    m_redeploy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_redeploy->setToolTip(
        tr("Replace the selected box with a new one from the spec it runs with, changed as "
           "you like; the running box is kept until the new one is healthy"));
    m_delete = new QAction(consoleIcon("delete"), tr("De&lete…"), this);
    m_delete->setShortcut(QKeySequence(Qt::Key_Delete));
    m_openUrl = new QAction(consoleIcon("open-url"), tr("&Open URL"), this);
    m_openUrl->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    m_copyExec = new QAction(consoleIcon("terminal"), tr("Copy &exec command"), this);
    m_copyExec->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_copyExec->setToolTip(tr("Copy a docker exec command that opens a shell in the box"));
    m_terminal = createTerminalAction();
    // Keep-alive: defers the selected boxes' idle stop and automatic delete by an hour,
    // stored on the engine so that a policy service elsewhere sees it too.
    m_keepAlive = new QAction(tr("&Keep alive for 1 hour"), this);
    m_keepAlive->setObjectName(QStringLiteral("keepAliveAction"));
    m_keepAlive->setToolTip(
        tr("Defer the idle stop and the automatic delete of the selected boxes by an hour"));

    connect(m_start, &QAction::triggered, this, [this] { run(Lifecycle::Start); });
    connect(m_stop, &QAction::triggered, this, [this] { run(Lifecycle::Stop); });
    connect(m_restart, &QAction::triggered, this, [this] { run(Lifecycle::Restart); });
    connect(m_redeploy, &QAction::triggered, this, &BoxActions::redeployRequested);
    connect(m_delete, &QAction::triggered, this, &BoxActions::deleteSelected);
    connect(m_keepAlive, &QAction::triggered, this, &BoxActions::keepAlive);
    connect(m_openUrl, &QAction::triggered, this, [this] {
        for (const BoxInfo &b : m_selection()) {
            if (!b.url.isEmpty())
                QDesktopServices::openUrl(QUrl(b.url));
        }
    });
    connect(m_copyExec, &QAction::triggered, this, [this] {
        const auto boxes = m_selection();
        if (boxes.isEmpty())
            return;
        const QString cmd = execCommand(boxes.first());
        QApplication::clipboard()->setText(cmd);
        m_window->statusBar()->showMessage(tr("Copied: %1").arg(cmd), 5000);
    });
}

QAction *BoxActions::createTerminalAction()
{
    // The terminal's exec is recorded when its session starts or fails, not when the
    // user-and-shell question may still be cancelled.
    auto pendingExec = std::make_shared<QList<QMetaObject::Connection>>();
    return TerminalDock::createOpenAction(
        m_window, [this, pendingExec]() -> std::pair<docker::DockerClient *, QString> {
            const auto boxes = m_selection();
            boxes::BoxBackend *owner =
                boxes.size() == 1 ? m_backend(boxes.first().backendId) : nullptr;
            auto *engine = qobject_cast<boxes::DockerBackend *>(owner);
            for (const auto &c : std::as_const(*pendingExec))
                disconnect(c);
            pendingExec->clear();
            if (engine && engine->client()) {
                TerminalTabs *tabs = TerminalDock::of(m_window)->tabs();
                const auto record = [pendingExec, backendId = engine->id(),
                                     box = boxes.first().name](const Error *error) {
                    for (const auto &c : std::as_const(*pendingExec))
                        disconnect(c);
                    pendingExec->clear();
                    recordActivity(activity::actions::exec(), backendId, box,
                                   {{"command", "terminal"}, {"tty", true}, {"interactive", true}},
                                   error);
                };
                *pendingExec << connect(tabs, &TerminalTabs::opened, this,
                                        [record] { record(nullptr); });
                *pendingExec << connect(tabs, &TerminalTabs::failed, this,
                                        [record](const QString &message) {
                                            const Error e(Error::Kind::Server, message);
                                            record(&e);
                                        });
            }
            // A Coolify box: its container on the server's engine, when the admin allows it.
            if (auto *coolify = qobject_cast<boxes::CoolifyBackend *>(owner))
                if (const auto target = coolify->engineTarget(boxes.first().id))
                    return {target->engine->client(), target->containerId};
            return {engine ? engine->client() : nullptr, engine ? boxes.first().id : QString()};
        });
}

void BoxActions::updateEnabled()
{
    const QList<BoxInfo> boxes = m_selection();
    bool anyRunning = false;
    bool anyStopped = false;
    bool anyUrl = false;
    for (const BoxInfo &b : boxes) {
        anyRunning = anyRunning || b.state == BoxInfo::State::Running ||
                     b.state == BoxInfo::State::Restarting || b.state == BoxInfo::State::Paused;
        anyStopped = anyStopped || b.state == BoxInfo::State::Exited ||
                     b.state == BoxInfo::State::Created || b.state == BoxInfo::State::Dead ||
                     b.state == BoxInfo::State::Failed;
        anyUrl = anyUrl || !b.url.isEmpty();
    }
    m_start->setEnabled(anyStopped);
    m_stop->setEnabled(anyRunning);
    m_restart->setEnabled(anyRunning);
    m_delete->setEnabled(!boxes.isEmpty());
    // Boxes deployed before the spec was recorded on them: `boxctl deploy --spec FILE
    // --redeploy` from their spec file instead.
    m_redeploy->setEnabled(boxes.size() == 1 &&
                           boxes.first().labels.contains(boxes::labels::spec()));
    m_openUrl->setEnabled(anyUrl);
    m_copyExec->setEnabled(boxes.size() == 1 &&
                           boxes.first().backendKind.startsWith(QLatin1String("docker")));
}

void BoxActions::run(Lifecycle action)
{
    const QList<BoxInfo> selected = m_selection();
    // More than one box: say what happens to which, first.
    if (selected.size() > 1 && action != Lifecycle::Start) {
        DeleteDialog confirm(selected, m_window,
                             action == Lifecycle::Stop ? DeleteDialog::Mode::Stop
                                                       : DeleteDialog::Mode::Restart,
                             graceSeconds(selected, m_backend));
        if (confirm.exec() != QDialog::Accepted)
            return;
    }
    for (const BoxInfo &box : selected) {
        boxes::BoxBackend *b = m_backend(box.backendId);
        if (!b) {
            m_notifier->notify(tr("Box %1").arg(box.name), tr("Its backend is not configured."),
                               false);
            continue;
        }
        QFuture<VoidResult> f;
        QString verb;
        switch (action) {
        case Lifecycle::Start:
            f = b->start(box.id);
            verb = tr("start");
            break;
        case Lifecycle::Stop:
            f = b->stop(box.id);
            verb = tr("stop");
            break;
        case Lifecycle::Restart:
            f = b->restart(box.id);
            verb = tr("restart");
            break;
        }
        if (action != Lifecycle::Start)
            m_alerts->expect(box.key());
        m_window->statusBar()->showMessage(tr("%1: %2…").arg(box.name, verb), 3000);
        const QString name = box.name;
        const QString actionName = action == Lifecycle::Start  ? activity::actions::start()
                                   : action == Lifecycle::Stop ? activity::actions::stop()
                                                               : activity::actions::restart();
        const QString backendId = b->id();
        onFinished(f, this, [this, name, verb, actionName, backendId](const VoidResult &result) {
            recordActivity(actionName, backendId, name, {}, result ? nullptr : &result.error());
            if (result) {
                m_window->statusBar()->showMessage(tr("%1: %2 done").arg(name, verb), 4000);
                return;
            }
            m_notifier->notify(tr("Could not %1 %2").arg(verb, name), result.error().toString(),
                               false);
        });
    }
}

void BoxActions::keepAlive()
{
    const QDateTime until = QDateTime::currentDateTimeUtc().addSecs(3600);
    for (const BoxInfo &box : m_selection()) {
        auto *docker = qobject_cast<boxes::DockerBackend *>(m_backend(box.backendId));
        if (!docker || !docker->client()) {
            m_notifier->notify(tr("Box %1").arg(box.name),
                               tr("A keep-alive is stored on a Docker engine; this box's "
                                  "backend has none."),
                               false);
            continue;
        }
        const QString key = box.key();
        const QString name = box.name;
        const QString backendId = docker->id();
        // Labelled like everything the backend creates (tests clean up by it).
        onFinished(
            policy::KeepAlive::set(docker->client(), this, name, until,
                                   docker->deployOptions().extraLabels),
            this, [this, key, name, backendId, until](const VoidResult &r) {
                recordActivity(
                    activity::actions::keepalive(), backendId, name,
                    {{"for", "1h"}, {"until", util::json::utf8(until.toString(Qt::ISODate))}},
                    r ? nullptr : &r.error());
                if (!r) {
                    m_notifier->notify(tr("Could not keep %1 alive").arg(name),
                                       r.error().toString(), false);
                    return;
                }
                m_model->setKeepAliveUntil(key, until);
                m_window->statusBar()->showMessage(
                    tr("%1: kept alive until %2")
                        .arg(name, QLocale().toString(until.toLocalTime(), QLocale::ShortFormat)),
                    5000);
            });
    }
}

void BoxActions::deleteSelected()
{
    const QList<BoxInfo> boxes = m_selection();
    if (boxes.isEmpty())
        return;
    DeleteDialog dialog(boxes, m_window, DeleteDialog::Mode::Delete,
                        graceSeconds(boxes, m_backend));
    if (dialog.exec() != QDialog::Accepted)
        return;
    deleteBoxes(boxes, dialog.keepData());
}

void BoxActions::deleteBoxes(const QList<BoxInfo> &boxes, bool keepData)
{
    for (const BoxInfo &box : boxes) {
        boxes::BoxBackend *b = m_backend(box.backendId);
        if (!b)
            continue;
        m_alerts->expect(box.key());
        m_deleting.insert(box.key());
        boxes::BoxJob *job = b->remove(box.id, keepData);
        m_window->statusBar()->showMessage(tr("Deleting %1…").arg(box.name));
        BoxInfo removing = box;
        removing.state = BoxInfo::State::Removing;
        m_model->upsertBox(removing);
        const QString name = box.name;
        const QString key = box.key();
        const QString backendId = b->id();
        const auto done = [this, name, key, backendId, keepData](const Result<BoxInfo> &result) {
            recordActivity(activity::actions::remove(), backendId, name, {{"keepData", keepData}},
                           result ? nullptr : &result.error());
            m_deleting.remove(key);
            if (result) {
                m_window->statusBar()->showMessage(tr("Deleted %1").arg(name), 5000);
                m_model->removeBox(key);
                emit deleted(key);
            } else {
                m_notifier->notify(tr("Could not delete %1").arg(name), result.error().toString(),
                                   false);
                emit deleteFailed();
            }
        };
        if (job->isFinished())
            done(job->result());
        else
            connect(job, &boxes::BoxJob::finished, this, done);
    }
}

QString BoxActions::execCommand(const BoxInfo &box) const
{
    QString host;
    if (auto *d = qobject_cast<boxes::DockerBackend *>(m_backend(box.backendId))) {
        if (d->client()) {
            const QString url = d->client()->endpoint().toUrl();
            if (url != QLatin1String("unix:///var/run/docker.sock"))
                host = QStringLiteral("-H ") + url + QLatin1Char(' ');
        }
    }
    // sh exists in every box image (busybox or Debian); bash may not.
    return QStringLiteral("docker %1exec -it %2 sh").arg(host, box.name);
}

} // namespace bc::ui
