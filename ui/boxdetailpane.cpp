#include "ui/boxdetailpane.h"
#include "core/util/futureutil.h"

#include "core/boxes/boxaudit.h"
#include "core/boxes/coolifybackend.h"
#include "core/boxes/dockerbackend.h"
#include "core/boxes/logwindowmerge.h"
#include "core/docker/dockerclient.h"
#include "core/docker/logstream.h"
#include "core/policy/activitymarker.h"
#include "core/security/postureaudit.h"
#include "ui/activityview.h"
#include "ui/egresslogview.h"
#include "ui/logview.h"
#include "ui/models/boxlistmodel.h"
#include "ui/models/findingsmodel.h"
#include "ui/sparklinewidget.h"
#include "ui/statshistory.h"
#include "ui/statusicons.h"

#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QHideEvent>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QShowEvent>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace bc::ui {

using boxes::BoxInfo;

namespace {

constexpr int LogTail = 500;
constexpr int LogPollMs = 3000; // backends without a log stream (Coolify)

QLabel *valueLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    // No word wrap: wrapped labels in a form break mid-value ("docker @ unix:///").
    l->setWordWrap(false);
    return l;
}

QTreeWidget *makeTree(const QStringList &headers, QWidget *parent)
{
    auto *t = new QTreeWidget(parent);
    t->setHeaderLabels(headers);
    t->setRootIsDecorated(false);
    t->setUniformRowHeights(true);
    t->setAlternatingRowColors(true);
    t->header()->setStretchLastSection(true);
    t->setSelectionMode(QAbstractItemView::ExtendedSelection);
    return t;
}

QString dotLabel(Tone tone, const QString &text)
{
    // The dot colour never carries meaning alone: the text says it too.
    return QStringLiteral("<span style=\"color:%1\">●</span> %2")
        .arg(toneColor(tone).name(), text.toHtmlEscaped());
}

} // namespace

BoxDetailPane::BoxDetailPane(const StatsHistory *history, BackendLookup lookup, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_lookup(std::move(lookup))
    , m_tabs(new QTabWidget(this))
    , m_title(new QLabel(this))
    , m_findings(new FindingsModel(this))
    , m_logs(new LogView(this))
    , m_egress(new EgressLogView(this))
    , m_activity(new ActivityView(ActivityView::Mode::OneBox, nullptr, this))
{
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_tabs->addTab(buildOverview(), tr("Overview"));
    m_tabs->addTab(buildResources(), tr("Resources"));
    m_tabs->addTab(buildSecurity(), tr("Security"));
    m_tabs->addTab(m_logs, tr("Logs"));
    m_tabs->addTab(m_egress, tr("Egress"));
    m_tabs->addTab(m_activity, tr("History"));
    m_tabs->setDocumentMode(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    setMinimumHeight(fontMetrics().height() * 8);
    layout->addWidget(m_title);
    layout->addWidget(m_tabs, 1);

    m_logPoll.setInterval(LogPollMs);
    connect(&m_logPoll, &QTimer::timeout, this, &BoxDetailPane::pollLogs);
    connect(m_logs, &LogView::optionsChanged, this, [this] {
        if (!m_logsActive)
            return;
        stopLogs();
        startLogs();
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (index == LogsTab)
            startLogs();
        else
            stopLogs();
        if (index == ResourcesTab)
            showResources();
        if (index == EgressTab)
            m_egress->refresh();
    });
    setBox(std::nullopt);
}

BoxDetailPane::~BoxDetailPane()
{
    stopLogs();
}

QWidget *BoxDetailPane::buildOverview()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_state = valueLabel(page);
    m_health = valueLabel(page);
    m_where = valueLabel(page);
    m_image = valueLabel(page);
    m_owner = valueLabel(page);
    m_url = valueLabel(page);
    m_url->setOpenExternalLinks(true);
    m_times = valueLabel(page);
    form->addRow(tr("State:"), m_state);
    form->addRow(tr("Health:"), m_health);
    form->addRow(tr("Runs on:"), m_where);
    form->addRow(tr("Image:"), m_image);
    form->addRow(tr("Owner:"), m_owner);
    form->addRow(tr("URL:"), m_url);
    form->addRow(tr("Times:"), m_times);

    m_healthLog = makeTree({tr("Checked"), tr("Exit"), tr("Output")}, page);
    m_healthLog->setAccessibleName(tr("Last health checks"));
    m_labels = makeTree({tr("Label"), tr("Value")}, page);
    m_labels->setAccessibleName(tr("Labels"));
    m_mounts = makeTree({tr("Type"), tr("Source"), tr("Target"), tr("Mode")}, page);
    m_mounts->setAccessibleName(tr("Mounts"));

    auto *split = new QSplitter(Qt::Vertical, page);
    const auto group = [split](const QString &title, QWidget *w) {
        auto *box = new QGroupBox(title, split);
        auto *l = new QVBoxLayout(box);
        l->setContentsMargins(4, 4, 4, 4);
        l->addWidget(w);
        split->addWidget(box);
    };
    group(tr("Last health checks"), m_healthLog);
    group(tr("Labels"), m_labels);
    group(tr("Mounts"), m_mounts);

    auto *layout = new QVBoxLayout(page);
    layout->addLayout(form);
    layout->addWidget(split, 1);
    // The pane may be small (list first): the overview scrolls rather than forcing the
    // list to shrink.
    page->setMinimumHeight(fontMetrics().height() * 24);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setAccessibleName(tr("Overview"));
    return scroll;
}

QWidget *BoxDetailPane::buildResources()
{
    auto *page = new QWidget(this);
    m_cpu = new SparklineWidget(page);
    m_cpu->setUnit(SparklineWidget::Unit::Percent);
    m_memory = new SparklineWidget(page);
    m_memory->setUnit(SparklineWidget::Unit::Bytes);
    m_memory->setCaption(tr("Memory (without page cache)"));
    m_network = new SparklineWidget(page);
    m_network->setUnit(SparklineWidget::Unit::BytesPerSecond);
    m_network->setCaption(tr("Network"));
    m_network->setMinimumTop(1024);
    m_blockIo = new SparklineWidget(page);
    m_blockIo->setUnit(SparklineWidget::Unit::BytesPerSecond);
    m_blockIo->setCaption(tr("Disk I/O (block devices)"));
    m_blockIo->setMinimumTop(4096);
    m_pids = valueLabel(page);
    // One row: the pane is short (list first) but wide, and every chart gets its height.
    auto *grid = new QGridLayout;
    grid->addWidget(m_cpu, 0, 0);
    grid->addWidget(m_memory, 0, 1);
    grid->addWidget(m_network, 0, 2);
    grid->addWidget(m_blockIo, 0, 3);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(grid, 1);
    layout->addWidget(m_pids);
    return page;
}

QWidget *BoxDetailPane::buildSecurity()
{
    auto *page = new QWidget(this);
    m_auditSummary = valueLabel(page);
    auto *rerun = new QPushButton(tr("Audit again"), page);
    connect(rerun, &QPushButton::clicked, this, &BoxDetailPane::refreshDetails);
    m_findingsView = new QTableView(page);
    m_findingsView->setAccessibleName(tr("Security findings"));
    m_findingsView->setTabKeyNavigation(false);
    m_findingsView->setModel(m_findings);
    m_findingsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_findingsView->verticalHeader()->hide();
    m_findingsView->horizontalHeader()->setStretchLastSection(true);
    m_findingsView->setWordWrap(false);
    m_findingsView->setAlternatingRowColors(true);
    m_findingsView->setColumnWidth(FindingsModel::SeverityColumn, 90);
    m_findingsView->setColumnWidth(FindingsModel::CheckColumn, 130);
    m_findingsView->setColumnWidth(FindingsModel::MessageColumn, 280);
    auto *top = new QHBoxLayout;
    top->addWidget(m_auditSummary, 1);
    top->addWidget(rerun);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(top);
    layout->addWidget(m_findingsView, 1);
    return page;
}

void BoxDetailPane::showGone(const QString &name)
{
    setBox(std::nullopt);
    m_title->setText(tr("%1 is gone: it was deleted outside this console").arg(name));
}

void BoxDetailPane::setBox(const std::optional<BoxInfo> &box)
{
    const bool same = box && m_box && box->key() == m_box->key();
    if (same) {
        updateBox(*box);
        return;
    }
    ++m_generation;
    stopLogs();
    m_box = box;
    m_healthLog->clear();
    m_labels->clear();
    m_mounts->clear();
    m_findings->setFindings({});
    m_logs->clear();
    m_egress->setBox(box ? box->name : QString());
    m_activity->setBox(box ? box->name : QString());
    m_lastPolled.clear();
    for (SparklineWidget *w : {m_cpu, m_memory, m_network, m_blockIo})
        w->clear();
    m_tabs->setEnabled(bool(m_box));
    if (!m_box) {
        m_title->setText(tr("No box selected"));
        m_auditSummary->clear();
        for (QLabel *l : {m_state, m_health, m_where, m_image, m_owner, m_url, m_times, m_pids})
            l->clear();
        return;
    }
    m_logs->setDefaultFileName(m_box->name + QStringLiteral(".log"));
    showOverview();
    showResources();
    for (auto it = m_box->labels.cbegin(); it != m_box->labels.cend(); ++it)
        m_labels->addTopLevelItem(new QTreeWidgetItem({it.key(), it.value()}));
    m_labels->resizeColumnToContents(0);
    refreshDetails();
    if (m_tabs->currentIndex() == LogsTab)
        startLogs();
    if (m_tabs->currentIndex() == EgressTab)
        m_egress->refresh();
}

void BoxDetailPane::updateBox(const BoxInfo &box)
{
    if (!m_box || box.key() != m_box->key())
        return;
    const bool healthChanged = box.health != m_box->health || box.state != m_box->state;
    const bool restarted = box.startedAt != m_box->startedAt;
    m_box = box;
    showOverview();
    if (m_tabs->currentIndex() == ResourcesTab)
        showResources();
    // Health-check outputs and the audit come from inspect: refetch when they may differ.
    if (healthChanged)
        refreshDetails();
    if (restarted && m_tabs->currentIndex() == LogsTab) {
        stopLogs();
        startLogs();
    }
}

void BoxDetailPane::showOverview()
{
    const BoxInfo &b = *m_box;
    m_title->setText(b.subdomain.isEmpty() || b.subdomain == b.name
                         ? b.name
                         : tr("%1 — %2").arg(b.name, b.subdomain));
    QString state = BoxListModel::stateLabel(b);
    const QString why = BoxListModel::exitExplanation(b);
    if (!why.isEmpty())
        state += QStringLiteral(": ") + why;
    else if (!b.statusText.isEmpty())
        state += QStringLiteral(" (") + b.statusText + QLatin1Char(')');
    const QString disagreement = b.labels.value(boxes::CoolifyBackend::engineDisagreementLabel());
    if (!disagreement.isEmpty() && !state.contains(disagreement))
        state += QStringLiteral(" — ") + disagreement;
    m_state->setText(dotLabel(stateTone(b.state), state));
    if (b.state != BoxInfo::State::Running && b.hasHealthCheck)
        m_health->setText(dotLabel(Tone::Neutral, BoxListModel::healthLabel(b)));
    else
        m_health->setText(b.health == BoxInfo::Health::None
                              ? (b.hasHealthCheck || !b.detailed ? BoxListModel::healthLabel(b)
                                                                 : tr("no health check"))
                              : dotLabel(healthTone(b.health), BoxListModel::healthText(b.health)));
    m_where->setText(tr("%1 @ %2").arg(b.backendKind, b.host));
    m_where->setToolTip(b.backendId + QLatin1Char('\n') + b.id);
    m_image->setText(b.image);
    m_owner->setText(b.owner.isEmpty() ? tr("—") : b.owner);
    if (b.url.isEmpty())
        m_url->setText(tr("not routed (reach it with docker exec)"));
    else
        m_url->setText(QStringLiteral("<a href=\"%1\">%2</a>")
                           .arg(b.url.toHtmlEscaped(), b.url.toHtmlEscaped()));
    const QLocale loc;
    QStringList times;
    if (b.createdAt.isValid())
        times
            << tr("created %1").arg(loc.toString(b.createdAt.toLocalTime(), QLocale::ShortFormat));
    if (b.startedAt.isValid())
        times
            << tr("started %1").arg(loc.toString(b.startedAt.toLocalTime(), QLocale::ShortFormat));
    m_times->setText(times.join(QStringLiteral(", ")));
}

void BoxDetailPane::showResources()
{
    if (!m_box || !m_history)
        return;
    const auto samples = m_history->samples(m_box->key());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<QPointF> cpu;
    QList<QPointF> mem;
    QList<QPointF> rx;
    QList<QPointF> tx;
    QList<QPointF> rd;
    QList<QPointF> wr;
    for (const auto &s : samples) {
        const double ago = double(now - s.msecs) / 1000.0;
        if (s.cpu >= 0)
            cpu << QPointF(ago, s.cpu);
        if (s.memory >= 0)
            mem << QPointF(ago, double(s.memory));
        if (s.netRx >= 0)
            rx << QPointF(ago, s.netRx);
        if (s.netTx >= 0)
            tx << QPointF(ago, s.netTx);
        if (s.blockRead >= 0)
            rd << QPointF(ago, s.blockRead);
        if (s.blockWrite >= 0)
            wr << QPointF(ago, s.blockWrite);
    }
    const int window = m_history->windowSeconds();
    for (SparklineWidget *w : {m_cpu, m_memory, m_network, m_blockIo})
        w->setWindowSeconds(window);
    const QLocale loc;
    const BoxInfo &b = *m_box;
    // Scaled to what the box may use: its CPU limit, else one core (100 % = one core, as
    // docker stats counts); the chart says which.
    if (b.cpuLimit > 0) {
        m_cpu->setMaximum(b.cpuLimit * 100.0);
        m_cpu->setLimitNote(tr("limit %1 CPU").arg(loc.toString(b.cpuLimit, 'g', 3)));
    } else {
        m_cpu->setMaximum(0);
        m_cpu->setMinimumTop(100);
        m_cpu->setLimitNote(b.detailed ? tr("no CPU limit") : QString());
    }
    m_cpu->setCaption(tr("CPU (100 % = one core)"));
    m_cpu->setSamples(cpu,
                      b.resources.cpuPercent < 0
                          ? QString()
                          : loc.toString(b.resources.cpuPercent, 'f', 1) + QStringLiteral(" %"));
    if (b.resources.memoryLimit > 0 && !b.memoryUnlimited) {
        m_memory->setMaximum(double(b.resources.memoryLimit));
        m_memory->setLimitNote(
            tr("limit %1").arg(BoxListModel::formatBytes(b.resources.memoryLimit)));
    } else {
        // No limit: not the host's RAM, and not a zoom on a few KiB of wobble either.
        m_memory->setMaximum(0);
        m_memory->setMinimumTop(64.0 * 1024 * 1024);
        m_memory->setLimitNote(tr("no memory limit"));
    }
    m_memory->setSamples(mem, b.resources.memoryUsage < 0
                                  ? QString()
                                  : BoxListModel::formatBytes(b.resources.memoryUsage));
    const auto rate = [this](const QList<QPointF> &l) {
        return l.isEmpty() ? QString() : m_network->formatValue(l.last().y());
    };
    m_network->setSecondSeries(tx, tr("received"), tr("sent"));
    m_network->setSamples(rx, rx.isEmpty() ? QString() : tr("↓ %1  ↑ %2").arg(rate(rx), rate(tx)));
    m_blockIo->setSecondSeries(wr, tr("read"), tr("written"));
    m_blockIo->setSamples(rd, rd.isEmpty() ? QString()
                                           : tr("read %1, write %2").arg(rate(rd), rate(wr)));
    m_pids->setText(b.resources.pids < 0 ? tr("Processes: –")
                                         : tr("Processes: %1").arg(b.resources.pids));
}

void BoxDetailPane::refreshDetails()
{
    if (!m_box)
        return;
    auto *docker =
        qobject_cast<boxes::DockerBackend *>(m_lookup ? m_lookup(m_box->backendId) : nullptr);
    auto *coolify =
        qobject_cast<boxes::CoolifyBackend *>(m_lookup ? m_lookup(m_box->backendId) : nullptr);
    const auto engine = coolify ? coolify->engineTarget(m_box->id) : std::nullopt;
    if (engine && engine->engine->client()) {
        // A Coolify box whose server's engine the admin lets us reach: the same audit and
        // health log as a Docker box, from its container there.
        m_auditSummary->setText(tr("Auditing on the Coolify server's engine…"));
        const quint64 generation = m_generation;
        QPointer<boxes::CoolifyEngine> e(engine->engine);
        const QString container = engine->containerId;
        onFinished(e->auditOptions(coolify->config().egressSocketRoot), this,
                   [this, generation, e, container](const Result<security::AuditOptions> &options) {
                       if (generation != m_generation || !e || !e->client())
                           return;
                       onFinished(e->client()->inspectContainer(container), this,
                                  [this, generation, options,
                                   e](const Result<docker::ContainerInspect> &result) {
                                      if (generation != m_generation)
                                          return;
                                      if (!result) {
                                          m_auditSummary->setText(
                                              tr("Could not inspect the box: %1")
                                                  .arg(e ? e->explain(result.error()).toString()
                                                         : result.error().toString()));
                                          return;
                                      }
                                      applyInspect(*result, options ? options.value()
                                                                    : security::AuditOptions{});
                                  });
                   });
        return;
    }
    if (!docker) {
        m_auditSummary->setText(tr("The posture audit needs a Docker backend; this box runs on %1.")
                                    .arg(m_box->backendKind));
        m_healthLog->clear();
        if (!m_box->statusText.isEmpty())
            m_healthLog->addTopLevelItem(
                new QTreeWidgetItem({tr("now"), QString(), m_box->statusText}));
        return;
    }
    m_auditSummary->setText(tr("Auditing…"));
    const quint64 generation = m_generation;
    // The audit's options come from where boxctl's do (engine AppArmor, secret names).
    onFinished(
        boxes::BoxAudit::options(docker), this,
        [this, generation,
         docker = QPointer(docker)](const Result<security::AuditOptions> &options) {
            if (generation != m_generation || !docker || !m_box)
                return;
            onFinished(
                docker->inspect(m_box->id), this,
                [this, generation, options](const Result<docker::ContainerInspect> &result) {
                    if (generation != m_generation)
                        return; // another box was selected meanwhile
                    if (!result) {
                        m_auditSummary->setText(
                            tr("Could not inspect the box: %1").arg(result.error().toString()));
                        return;
                    }
                    applyInspect(*result, options ? options.value() : security::AuditOptions{});
                });
        });
}

void BoxDetailPane::applyInspect(const docker::ContainerInspect &inspect,
                                 const security::AuditOptions &options)
{
    const QLocale loc;
    m_healthLog->clear();
    // Newest first: the check that decided the current status is on top.
    for (auto it = inspect.healthLog.crbegin(); it != inspect.healthLog.crend(); ++it) {
        auto *item = new QTreeWidgetItem(
            {loc.toString(it->end.toLocalTime(), QStringLiteral("HH:mm:ss")),
             QString::number(it->exitCode),
             it->output.trimmed().isEmpty()
                 ? tr("(no output)")
                 : it->output.trimmed().replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "))});
        item->setIcon(1, toneIcon(it->exitCode == 0 ? Tone::Good : Tone::Bad));
        item->setToolTip(2, it->output);
        m_healthLog->addTopLevelItem(item);
    }
    if (inspect.healthLog.isEmpty())
        m_healthLog->addTopLevelItem(
            new QTreeWidgetItem({QString(), QString(),
                                 inspect.health.isEmpty() ? tr("this box has no health check")
                                                          : tr("no check has run yet")}));
    if (inspect.failingStreak > 0)
        m_health->setText(m_health->text() +
                          tr(" — failing %n time(s) in a row", nullptr, inspect.failingStreak));
    m_healthLog->resizeColumnToContents(0);

    m_mounts->clear();
    const auto &raw = inspect.raw;
    if (raw.is_object() && raw.contains("Mounts") && raw["Mounts"].is_array()) {
        for (const auto &m : raw["Mounts"]) {
            const auto str = [&m](const char *k) {
                return m.contains(k) && m[k].is_string()
                           ? QString::fromStdString(m[k].get<std::string>())
                           : QString();
            };
            const bool rw = m.contains("RW") && m["RW"].is_boolean() && m["RW"].get<bool>();
            const QString source =
                str("Type") == QLatin1String("volume") ? str("Name") : str("Source");
            m_mounts->addTopLevelItem(
                new QTreeWidgetItem({str("Type"), source, str("Destination"),
                                     rw ? tr("read-write") : tr("read-only")}));
        }
    }
    if (m_mounts->topLevelItemCount() == 0)
        m_mounts->addTopLevelItem(new QTreeWidgetItem({tr("none")}));
    m_mounts->resizeColumnToContents(0);

    const QList<security::Finding> found = security::PostureAudit::audit(raw, options);
    QList<FindingsModel::Item> items;
    for (const security::Finding &f : found) {
        FindingsModel::Severity s = FindingsModel::Severity::Low;
        switch (f.severity) {
        case security::Finding::Severity::Low:
            s = FindingsModel::Severity::Low;
            break;
        case security::Finding::Severity::Medium:
            s = FindingsModel::Severity::Medium;
            break;
        case security::Finding::Severity::High:
            s = FindingsModel::Severity::High;
            break;
        case security::Finding::Severity::Critical:
            s = FindingsModel::Severity::Critical;
            break;
        }
        items.append({s, f.id, f.title, {}, f.detail});
    }
    m_findings->setFindings(items);
    const int serious = m_findings->count(FindingsModel::Severity::High);
    if (items.isEmpty())
        m_auditSummary->setText(dotLabel(Tone::Good, tr("No drift from the hardening profile.")));
    else
        m_auditSummary->setText(dotLabel(
            serious > 0 ? Tone::Bad : Tone::Warning,
            tr("%n finding(s)", nullptr, int(items.size())) +
                (serious > 0 ? tr(", %n high or critical", nullptr, serious) : QString())));
}

void BoxDetailPane::setLogPollIntervalMs(int ms)
{
    m_logPoll.setInterval(std::max(ms, 10));
}

void BoxDetailPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_tabs->currentIndex() == LogsTab)
        startLogs();
}

void BoxDetailPane::hideEvent(QHideEvent *event)
{
    // Nobody reads a hidden pane (window minimised or closed): stop polling and following
    // rather than spend the backend's request budget on it.
    stopLogs();
    QWidget::hideEvent(event);
}

void BoxDetailPane::startLogs()
{
    if (!m_box || m_logsActive || !isVisible())
        return;
    m_logsActive = true;
    boxes::BoxBackend *backend = m_lookup ? m_lookup(m_box->backendId) : nullptr;
    if (!backend) {
        m_logs->setStatus(tr("Backend not connected"));
        return;
    }
    auto *docker = qobject_cast<boxes::DockerBackend *>(backend);
    docker::DockerClient *logClient = docker ? docker->client() : nullptr;
    QString logContainer = m_box->id;
    // A Coolify box with engine access streams from its container instead of polling.
    if (auto *coolify = qobject_cast<boxes::CoolifyBackend *>(backend)) {
        if (const auto engine = coolify->engineTarget(m_box->id)) {
            logClient = engine->engine->client();
            logContainer = engine->containerId;
        }
    }
    if (!logClient) {
        pollLogs();
        m_logPoll.start();
        return;
    }
    docker::LogOptions options;
    options.follow = true;
    options.tail = m_logs->tail();
    options.timestamps = m_logs->timestamps();
    if (m_logs->sinceSeconds() > 0)
        options.since = QDateTime::currentSecsSinceEpoch() - m_logs->sinceSeconds();
    m_logs->clear();
    m_logs->setEmptyText(tr("No output in this range yet. New lines appear here as the box "
                            "writes them."));
    m_logStream = logClient->logs(logContainer, options);
    // Someone following the log is at the box: the idle stop waits while they are.
    if (m_box->state == boxes::BoxInfo::State::Running) {
        m_presence = new policy::ActivityMarker(logClient, logContainer, this);
        m_presence->start();
    }
    m_logs->setStatus(options.tail < 0
                          ? tr("Following the whole log and new output…")
                          : tr("Following the last %1 lines and new output…").arg(options.tail));
    connect(m_logStream, &docker::LogStream::linesReceived, this,
            [this](const QList<docker::LogLine> &lines) {
                for (const docker::LogLine &l : lines)
                    m_logs->appendText(QString::fromUtf8(l.text),
                                       l.stream == docker::LogLine::Stream::Stderr);
            });
    const quint64 generation = m_generation;
    connect(m_logStream, &docker::LogStream::finished, this,
            [this, generation](const VoidResult &result) {
                if (generation != m_generation)
                    return;
                m_logsActive = false;
                delete m_presence;
                m_logs->setEmptyText(tr("The log is empty: the box wrote nothing to stdout or "
                                        "stderr in this range."));
                m_logs->setStatus(result
                                      ? tr("Log stream ended (the box stopped).")
                                      : tr("Log stream ended: %1").arg(result.error().toString()));
            });
}

void BoxDetailPane::stopLogs()
{
    m_logsActive = false;
    m_logPoll.stop();
    ++m_logSession;
    m_pollInFlight = false;
    delete m_presence;
    if (m_logStream) {
        disconnect(m_logStream, nullptr, this, nullptr);
        m_logStream->cancel();
        m_logStream = nullptr;
    }
}

void BoxDetailPane::pollLogs()
{
    if (!m_box || !m_logsActive || m_pollInFlight) // a slow answer must not stack requests
        return;
    boxes::BoxBackend *backend = m_lookup ? m_lookup(m_box->backendId) : nullptr;
    if (!backend)
        return;
    m_pollInFlight = true;
    const quint64 session = m_logSession;
    if (auto *coolify = qobject_cast<boxes::CoolifyBackend *>(backend)) {
        onFinished(coolify->recentLogsIfRunning(m_box->id, LogTail), this,
                   [this, session](const Result<std::optional<QStringList>> &result) {
                       applyPolledLogs(session, result);
                   });
        return;
    }
    onFinished(backend->recentLogs(m_box->id, LogTail), this,
               [this, session](const Result<QStringList> &result) {
                   applyPolledLogs(session,
                                   result ? Result<std::optional<QStringList>>(*result)
                                          : Result<std::optional<QStringList>>(result.error()));
               });
}

void BoxDetailPane::applyPolledLogs(quint64 session,
                                    const Result<std::optional<QStringList>> &result)
{
    if (session != m_logSession)
        return; // stopped, or another box was selected meanwhile
    m_pollInFlight = false;
    const QString every = QLocale().toString(m_logPoll.interval() / 1000.0, 'g', 3);
    if (!result) {
        m_logs->setStatus(tr("Could not read logs: %1").arg(result.error().toString()));
        return;
    }
    if (!result->has_value()) {
        // The previous window stays: if the box comes back with the same container, nothing
        // shown is repeated; with a new one, the merge sees the log start over.
        m_logs->setStatus(
            tr("The box is not running: no new output. Checking again every %1 s.").arg(every));
        return;
    }
    const auto merged = boxes::LogWindowMerge::merge(m_lastPolled, **result, LogTail);
    if (merged.mayHaveGap)
        m_logs->appendLines(
            {tr("――― some lines may have been missed between polls (%1 or more new lines) ―――")
                 .arg(LogTail)});
    if (merged.restarted)
        m_logs->appendLines({tr("――― the log started over (the box restarted) ―――")});
    m_logs->appendLines(merged.newLines);
    m_lastPolled = merged.window;
    m_logs->setStatus(tr("Polling every %1 s (this backend has no log stream)").arg(every));
}

} // namespace bc::ui
