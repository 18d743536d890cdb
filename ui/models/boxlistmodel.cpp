#include "ui/models/boxlistmodel.h"

#include "ui/statusicons.h"

#include "core/util/byteformat.h"

#include <QLocale>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <algorithm>
#include <limits>

namespace bc::ui {

using boxes::BoxInfo;

namespace {

constexpr quint32 bit(int column)
{
    return 1u << column;
}
constexpr quint32 StatsColumns = bit(BoxListModel::Cpu) | bit(BoxListModel::Memory) |
                                 bit(BoxListModel::Pids) | bit(BoxListModel::Uptime);
// How often the uptime column is re-rendered: minute resolution needs no faster tick.
constexpr int UptimeRefreshMs = 30000;

} // namespace

BoxListModel::BoxListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &BoxListModel::flush);
    m_uptimeTimer.setInterval(UptimeRefreshMs);
    connect(&m_uptimeTimer, &QTimer::timeout, this, &BoxListModel::refreshUptime);
    m_uptimeTimer.start();
}

int BoxListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_boxes.size());
}

int BoxListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const BoxInfo *BoxListModel::box(const QString &key) const
{
    const int row = rowOf(key);
    return row < 0 ? nullptr : &m_boxes.at(row);
}

QString BoxListModel::stateText(BoxInfo::State state)
{
    using S = BoxInfo::State;
    switch (state) {
    case S::Unknown:
        return tr("unknown");
    case S::Created:
        return tr("created");
    case S::Deploying:
        return tr("deploying");
    case S::Starting:
        return tr("starting");
    case S::Running:
        return tr("running");
    case S::Restarting:
        return tr("restarting");
    case S::Paused:
        return tr("paused");
    case S::Stopping:
        return tr("stopping");
    case S::Exited:
        return tr("exited");
    case S::Dead:
        return tr("dead");
    case S::Removing:
        return tr("removing");
    case S::Failed:
        return tr("failed");
    }
    return {};
}

QString BoxListModel::healthText(BoxInfo::Health health)
{
    using H = BoxInfo::Health;
    switch (health) {
    case H::None:
        return tr("no check");
    case H::Starting:
        return tr("starting");
    case H::Healthy:
        return tr("healthy");
    case H::Unhealthy:
        return tr("unhealthy");
    case H::Unknown:
        return tr("unknown");
    }
    return {};
}

QString BoxListModel::exitExplanation(const BoxInfo &box)
{
    using S = BoxInfo::State;
    if (box.state != S::Exited && box.state != S::Dead)
        return {};
    if (box.oomKilled)
        return tr("killed: out of memory (the engine's OOM killer, exit %1)")
            .arg(box.exitCode < 0 ? 137 : box.exitCode);
    if (!box.stoppedBy.isEmpty())
        return box.exitCode < 0
                   ? tr("stopped (by %1)").arg(box.stoppedBy)
                   : tr("stopped (by %1, exit code %2)").arg(box.stoppedBy).arg(box.exitCode);
    switch (box.exitCode) {
    case -1:
        return {};
    case 0:
        return tr("exited normally (code 0)");
    case 137:
        return tr("killed (SIGKILL, exit code 137)");
    case 143:
        return tr("terminated (SIGTERM, exit code 143)");
    default:
        return tr("exited with code %1").arg(box.exitCode);
    }
}

QString BoxListModel::stateLabel(const BoxInfo &box)
{
    using S = BoxInfo::State;
    if ((box.state == S::Exited || box.state == S::Dead) && box.oomKilled)
        return tr("OOM-killed");
    if ((box.state == S::Exited || box.state == S::Dead) && box.exitCode >= 0)
        return QStringLiteral("%1 (%2)").arg(stateText(box.state)).arg(box.exitCode);
    return stateText(box.state);
}

QString BoxListModel::healthLabel(const BoxInfo &box)
{
    using S = BoxInfo::State;
    const bool stopped = box.state == S::Exited || box.state == S::Dead ||
                         box.state == S::Created || box.state == S::Failed;
    if (stopped && box.hasHealthCheck) {
        if (box.lastHealth == BoxInfo::Health::None || box.lastHealth == BoxInfo::Health::Unknown)
            return tr("stopped");
        return tr("stopped (last: %1)").arg(healthText(box.lastHealth));
    }
    return healthText(box.health);
}

bool BoxListModel::needsAttention(const BoxInfo &box)
{
    using S = BoxInfo::State;
    if (box.state == S::Running && box.health == BoxInfo::Health::Unhealthy)
        return true;
    if (box.state == S::Restarting || box.state == S::Dead || box.state == S::Failed)
        return true;
    if (box.oomKilled && box.state != S::Running)
        return true;
    // A box someone stopped on purpose exits 137 or 143 too: that is no fault.
    return box.state == S::Exited && box.exitCode > 0 && box.stoppedBy.isEmpty();
}

int BoxListModel::healthRank(const BoxInfo &box)
{
    using H = BoxInfo::Health;
    if (box.state != BoxInfo::State::Running)
        return needsAttention(box) ? 1 : 5;
    switch (box.health) {
    case H::Unhealthy:
        return 0;
    case H::Starting:
        return 2;
    case H::Unknown:
        return 3;
    case H::Healthy:
        return 4;
    case H::None:
        return 6;
    }
    return 6;
}

QString BoxListModel::shortBackend(const BoxInfo &box)
{
    QString host = box.host;
    // "prod (ssh://ops@prod…)": the context name is what admins call it.
    const qsizetype paren = host.indexOf(QLatin1String(" ("));
    if (paren > 0) {
        host = host.left(paren);
    } else if (host.startsWith(QLatin1String("unix://")) ||
               host.startsWith(QLatin1String("npipe:"))) {
        host = tr("local");
    } else if (const QUrl url(host); url.isValid() && !url.host().isEmpty()) {
        host = url.host();
    }
    if (host.isEmpty())
        return box.backendKind;
    return box.backendKind + QStringLiteral(" · ") + host;
}

QString BoxListModel::subdomainOf(const BoxInfo &box)
{
    if (!box.subdomain.isEmpty())
        return box.subdomain;
    QString host;
    if (!box.url.isEmpty())
        host = QUrl(box.url).host();
    if (host.isEmpty()) {
        static const QRegularExpression rule(QStringLiteral("Host\\(`([^`]+)`\\)"));
        for (auto it = box.labels.cbegin(); it != box.labels.cend() && host.isEmpty(); ++it) {
            if (it.key().startsWith(QLatin1String("traefik.http.routers.")) &&
                it.key().endsWith(QLatin1String(".rule"))) {
                const auto m = rule.match(it.value());
                if (m.hasMatch())
                    host = m.captured(1);
            }
        }
    }
    return host.section(QLatin1Char('.'), 0, 0);
}

QString BoxListModel::formatBytes(qint64 bytes)
{
    if (bytes < 0)
        return QStringLiteral("–");
    return bc::formatBytes(bytes, QLocale());
}

QString BoxListModel::formatMemory(const BoxInfo &box)
{
    if (box.resources.memoryUsage < 0)
        return QStringLiteral("–");
    if (box.memoryUnlimited)
        return formatBytes(box.resources.memoryUsage) + QStringLiteral(" / ") + tr("no limit");
    if (box.resources.memoryLimit <= 0)
        return formatBytes(box.resources.memoryUsage);
    return formatBytes(box.resources.memoryUsage) + QStringLiteral(" / ") +
           formatBytes(box.resources.memoryLimit);
}

QString BoxListModel::formatUptime(const BoxInfo &box, const QDateTime &now)
{
    if (box.state != BoxInfo::State::Running || !box.startedAt.isValid())
        return QStringLiteral("–");
    qint64 s = std::max<qint64>(0, box.startedAt.secsTo(now));
    // The column is re-rendered every UptimeRefreshMs, not every second: a seconds count
    // would sit frozen and read as wrong.
    if (s < 60)
        return tr("< 1 min");
    const qint64 days = s / 86400;
    const qint64 hours = (s % 86400) / 3600;
    const qint64 minutes = (s % 3600) / 60;
    if (days > 0)
        return tr("%1 d %2 h").arg(days).arg(hours);
    if (hours > 0)
        return tr("%1 h %2 min").arg(hours).arg(minutes);
    return tr("%1 min").arg(minutes);
}

QVariant BoxListModel::displayData(const BoxInfo &box, int column) const
{
    switch (column) {
    case Name:
        return box.name;
    case Owner:
        return box.owner;
    case Subdomain:
        return subdomainOf(box);
    case Backend:
        return shortBackend(box);
    case State:
        return stateLabel(box);
    case Health:
        return healthLabel(box);
    case Cpu:
        return box.resources.cpuPercent < 0
                   ? QStringLiteral("–")
                   : QLocale().toString(box.resources.cpuPercent, 'f', 1) + QStringLiteral(" %");
    case Memory:
        return formatMemory(box);
    case Pids:
        return box.resources.pids < 0 ? QStringLiteral("–")
                                      : QLocale().toString(box.resources.pids);
    case Uptime:
        return formatUptime(box, QDateTime::currentDateTimeUtc());
    case Image:
        return box.image;
    case Policy:
        return policyText(box, QDateTime::currentDateTimeUtc(), m_keepAlive.value(box.key()));
    default:
        return {};
    }
}

policy::PolicyDeadlines BoxListModel::policyDeadlines(const BoxInfo &box, const QDateTime &now,
                                                      const QDateTime &keepAliveUntil)
{
    policy::PolicyClock clock;
    clock.created = box.createdAt;
    clock.started = box.startedAt;
    clock.keepAliveUntil = keepAliveUntil;
    clock.running = box.state == BoxInfo::State::Running || box.state == BoxInfo::State::Starting ||
                    box.state == BoxInfo::State::Restarting;
    clock.stoppedAt = clock.running ? QDateTime() : box.finishedAt;
    clock.now = now;
    return policy::computeDeadlines(policy::BoxPolicy::fromLabels(box.labels), clock);
}

QString BoxListModel::policyText(const BoxInfo &box, const QDateTime &now,
                                 const QDateTime &keepAliveUntil)
{
    return policy::describeDeadline(policyDeadlines(box, now, keepAliveUntil), now);
}

qint64 BoxListModel::uptimeSortKey(const BoxInfo &box)
{
    // An earlier start is a longer uptime.
    return box.state == BoxInfo::State::Running && box.startedAt.isValid()
               ? -box.startedAt.toMSecsSinceEpoch()
               : std::numeric_limits<qint64>::min();
}

qint64 BoxListModel::policySortKey(const BoxInfo &box) const
{
    const auto d =
        policyDeadlines(box, QDateTime::currentDateTimeUtc(), m_keepAlive.value(box.key()));
    return d.next == policy::PolicyAction::None ? std::numeric_limits<qint64>::max()
                                                : d.at.toMSecsSinceEpoch();
}

QVariant BoxListModel::sortData(const BoxInfo &box, int column) const
{
    switch (column) {
    case State:
        return int(box.state);
    case Health:
        return healthRank(box);
    case Cpu:
        return box.resources.cpuPercent;
    case Memory:
        return box.resources.memoryUsage;
    case Pids:
        return box.resources.pids;
    case Policy:
        return policySortKey(box);
    case Uptime:
        return uptimeSortKey(box);
    default:
        return displayData(box, column).toString().toLower();
    }
}

QVariant BoxListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BoxInfo &box = m_boxes.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(box, column);
    case SortRole:
        return sortData(box, column);
    case Qt::DecorationRole:
        if (column == State)
            return toneIcon(stateTone(box.state));
        if (column == Health && box.health != BoxInfo::Health::None)
            return toneIcon(healthTone(box.health));
        return {};
    case Qt::ToolTipRole:
        switch (column) {
        case Name:
            return box.owner.isEmpty() ? box.name : tr("%1 (owner %2)").arg(box.name, box.owner);
        case State: {
            const QString why = exitExplanation(box);
            return why.isEmpty() ? box.statusText : why + QLatin1Char('\n') + box.statusText;
        }
        case Health:
            return box.statusText;
        case Backend:
            return box.host.isEmpty() ? box.backendId : box.host;
        case Memory:
            if (box.resources.memoryUsage >= 0 && box.resources.memoryLimit > 0)
                return tr("%1 % of the limit")
                    .arg(QLocale().toString(100.0 * double(box.resources.memoryUsage) /
                                                double(box.resources.memoryLimit),
                                            'f', 1));
            return {};
        case Cpu:
            return tr("100 % = one CPU core (as docker stats)");
        case Image:
            return box.image;
        case Policy: {
            const QDateTime now = QDateTime::currentDateTimeUtc();
            const auto d = policyDeadlines(box, now, m_keepAlive.value(box.key()));
            const auto p = policy::BoxPolicy::fromLabels(box.labels);
            QStringList lines;
            const auto at = [](const QDateTime &t) {
                return QLocale().toString(t.toLocalTime(), QLocale::ShortFormat);
            };
            if (p.idleStopSecs > 0)
                lines << tr("Idle stop after %1 without agent activity%2")
                             .arg(policy::formatRemaining(p.idleStopSecs),
                                  d.idleStopAt.isValid()
                                      ? tr(": at %1 at the earliest").arg(at(d.idleStopAt))
                                      : QString());
            if (p.maxLifetimeSecs > 0)
                lines << tr("Expires %1 after creation%2")
                             .arg(policy::formatRemaining(p.maxLifetimeSecs),
                                  d.expireAt.isValid() ? tr(": at %1").arg(at(d.expireAt))
                                                       : QString());
            if (p.deleteAfterStoppedSecs > 0)
                lines << tr("Deleted %1 after it stopped%2")
                             .arg(policy::formatRemaining(p.deleteAfterStoppedSecs),
                                  d.deleteAt.isValid() ? tr(": at %1").arg(at(d.deleteAt))
                                                       : QString());
            const QString source = box.labels.value(QStringLiteral("box-console.policy.source"));
            if (!lines.isEmpty() && !source.isEmpty())
                lines << (source == QLatin1String("box") ? tr("Set by the box's spec")
                                                         : tr("The backend's fleet default"));
            return lines.join(QLatin1Char('\n'));
        }
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        if (column == Cpu || column == Memory || column == Pids || column == Uptime)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case KeyRole:
        return box.key();
    case StateRole:
        return int(box.state);
    case HealthRole:
        return int(box.health);
    case BackendIdRole:
        return box.backendId;
    case BoxRole:
        return QVariant::fromValue(box);
    default:
        return {};
    }
}

QVariant BoxListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Name:
            return tr("Name");
        case Owner:
            return tr("Owner");
        case Subdomain:
            return tr("Subdomain");
        case Backend:
            return tr("Backend");
        case State:
            return tr("State");
        case Health:
            return tr("Health");
        case Cpu:
            return tr("CPU");
        case Memory:
            return tr("Memory");
        case Pids:
            return tr("PIDs");
        case Uptime:
            return tr("Uptime");
        case Image:
            return tr("Image");
        case Policy:
            return tr("Policy");
        }
    }
    if (role == Qt::TextAlignmentRole &&
        (section == Cpu || section == Memory || section == Pids || section == Uptime))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

quint32 BoxListModel::resourceColumns(const boxes::BoxResources &a, const boxes::BoxResources &b)
{
    quint32 mask = 0;
    if (a.cpuPercent != b.cpuPercent)
        mask |= bit(Cpu);
    if (a.memoryUsage != b.memoryUsage || a.memoryLimit != b.memoryLimit)
        mask |= bit(Memory);
    if (a.pids != b.pids)
        mask |= bit(Pids);
    return mask;
}

quint32 BoxListModel::changedColumns(const BoxInfo &a, const BoxInfo &b)
{
    quint32 mask = 0;
    if (a.name != b.name || a.owner != b.owner)
        mask |= bit(Name) | bit(Owner);
    if (a.subdomain != b.subdomain || a.url != b.url || a.labels != b.labels)
        mask |= bit(Subdomain);
    if (a.backendKind != b.backendKind || a.host != b.host || a.backendId != b.backendId)
        mask |= bit(Backend);
    if (a.state != b.state || a.statusText != b.statusText || a.exitCode != b.exitCode ||
        a.oomKilled != b.oomKilled)
        mask |= bit(State) | bit(Uptime);
    if (a.health != b.health || a.statusText != b.statusText || a.lastHealth != b.lastHealth ||
        a.hasHealthCheck != b.hasHealthCheck || a.detailed != b.detailed)
        mask |= bit(Health);
    mask |= resourceColumns(a.resources, b.resources);
    if (a.memoryUnlimited != b.memoryUnlimited)
        mask |= bit(Memory);
    if (a.startedAt != b.startedAt)
        mask |= bit(Uptime);
    if (a.image != b.image)
        mask |= bit(Image);
    if (a.labels != b.labels || a.state != b.state || a.startedAt != b.startedAt ||
        a.createdAt != b.createdAt || a.finishedAt != b.finishedAt)
        mask |= bit(Policy);
    return mask;
}

void BoxListModel::markDirty(int row, quint32 columns)
{
    if (columns == 0)
        return;
    quint32 &mask = m_dirtyMask[row];
    if (mask == 0) {
        ++m_dirtyCount;
        m_dirtyLo = m_dirtyCount == 1 ? row : std::min(m_dirtyLo, row);
        m_dirtyHi = m_dirtyCount == 1 ? row : std::max(m_dirtyHi, row);
    }
    mask |= columns;
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void BoxListModel::flush()
{
    m_flushTimer.stop();
    if (m_dirtyCount == 0)
        return;
    const int lo = m_dirtyLo;
    const int hi = m_dirtyHi;
    const int count = m_dirtyCount;
    m_dirtyCount = 0;

    const auto emitRange = [this](int first, int last, quint32 mask) {
        int left = 0;
        while (left < ColumnCount && !(mask & bit(left)))
            ++left;
        int right = ColumnCount - 1;
        while (right > left && !(mask & bit(right)))
            --right;
        QList<int> roles{Qt::DisplayRole, SortRole, Qt::ToolTipRole, BoxRole};
        if (mask & ~StatsColumns)
            roles << Qt::DecorationRole << StateRole << HealthRole << BackendIdRole;
        emit dataChanged(index(first, left), index(last, right), roles);
    };

    // When most rows changed (a stats tick), one ranged signal is cheaper for every view
    // and proxy than one per row (qBittorrent's transfer list does the same); the view
    // repaints only the columns in it.
    if (count * 2 > hi - lo + 1) {
        quint32 mask = 0;
        for (int row = lo; row <= hi; ++row)
            mask |= std::exchange(m_dirtyMask[row], 0u);
        emitRange(lo, hi, mask);
        return;
    }
    // Otherwise contiguous runs of rows with the same column set, in row order.
    int start = -1;
    quint32 runMask = 0;
    for (int row = lo; row <= hi + 1; ++row) {
        const quint32 mask = row <= hi ? std::exchange(m_dirtyMask[row], 0u) : 0u;
        if (start >= 0 && mask == runMask)
            continue;
        if (start >= 0)
            emitRange(start, row - 1, runMask);
        start = mask ? row : -1;
        runMask = mask;
    }
}

void BoxListModel::insertRow_(const BoxInfo &box)
{
    const int row = int(m_boxes.size());
    beginInsertRows({}, row, row);
    m_boxes.append(box);
    m_dirtyMask.append(0);
    m_rowByKey.insert(box.key(), row);
    endInsertRows();
}

void BoxListModel::removeRow_(int row)
{
    // Pending changes must not be emitted for shifted rows.
    flush();
    beginRemoveRows({}, row, row);
    m_rowByKey.remove(m_boxes.at(row).key());
    m_boxes.removeAt(row);
    m_dirtyMask.removeAt(row);
    for (int r = row; r < m_boxes.size(); ++r)
        m_rowByKey[m_boxes.at(r).key()] = r;
    endRemoveRows();
}

int BoxListModel::rowOfBox(const QString &backendId, const QString &id) const
{
    // A stats tick updates every row, mostly in the order the rows were added: trying the
    // row after the last one updated skips building a key string and hashing it.
    const int guess = m_lastUpserted + 1;
    if (guess < m_boxes.size()) {
        const BoxInfo &b = m_boxes.at(guess);
        if (b.id == id && b.backendId == backendId)
            return guess;
    }
    return rowOf(backendId + QLatin1Char('/') + id);
}

void BoxListModel::upsertBox(const BoxInfo &box)
{
    const int row = rowOfBox(box.backendId, box.id);
    if (row < 0) {
        insertRow_(box);
        m_lastUpserted = int(m_boxes.size()) - 1;
        return;
    }
    m_lastUpserted = row;
    BoxInfo &current = m_boxes[row];
    const quint32 mask = changedColumns(current, box);
    const bool otherChange = mask == 0 && !(current == box); // url, labels, …
    current = box;
    markDirty(row, otherChange ? bit(Name) : mask);
}

void BoxListModel::updateResources(const QString &key, const boxes::BoxResources &resources)
{
    // The key is "backendId/id" (BoxInfo::key()); a box id never holds a slash.
    const qsizetype slash = key.lastIndexOf(QLatin1Char('/'));
    const int row = rowOfBox(key.left(slash), key.mid(slash + 1));
    if (row < 0)
        return;
    m_lastUpserted = row;
    BoxInfo &current = m_boxes[row];
    const quint32 mask = resourceColumns(current.resources, resources);
    current.resources = resources;
    markDirty(row, mask);
}

void BoxListModel::removeBox(const QString &key)
{
    const int row = rowOf(key);
    if (row >= 0)
        removeRow_(row);
}

void BoxListModel::removeBackend(const QString &backendId)
{
    for (int row = int(m_boxes.size()) - 1; row >= 0; --row) {
        if (m_boxes.at(row).backendId == backendId)
            removeRow_(row);
    }
}

void BoxListModel::setBoxes(const QList<BoxInfo> &boxes)
{
    QSet<QString> keep;
    keep.reserve(boxes.size());
    for (const BoxInfo &b : boxes)
        keep.insert(b.key());
    for (int row = int(m_boxes.size()) - 1; row >= 0; --row) {
        if (!keep.contains(m_boxes.at(row).key()))
            removeRow_(row);
    }
    // Updates in place; new boxes appended in one insert.
    QList<BoxInfo> added;
    QSet<QString> addedKeys;
    for (const BoxInfo &b : boxes) {
        if (rowOf(b.key()) >= 0)
            upsertBox(b);
        else if (!addedKeys.contains(b.key())) {
            addedKeys.insert(b.key());
            added.append(b);
        }
    }
    if (!added.isEmpty()) {
        const int first = int(m_boxes.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (const BoxInfo &b : std::as_const(added)) {
            m_rowByKey.insert(b.key(), int(m_boxes.size()));
            m_boxes.append(b);
            m_dirtyMask.append(0);
        }
        endInsertRows();
    }
}

void BoxListModel::refreshUptime()
{
    for (int row = 0; row < m_boxes.size(); ++row) {
        if (m_boxes.at(row).state == BoxInfo::State::Running)
            markDirty(row, bit(Uptime));
        if (!policy::BoxPolicy::fromLabels(m_boxes.at(row).labels).isEmpty())
            markDirty(row, bit(Policy));
    }
}

void BoxListModel::setKeepAliveUntil(const QString &key, const QDateTime &until)
{
    if (until.isValid())
        m_keepAlive.insert(key, until);
    else
        m_keepAlive.remove(key);
    if (const int row = rowOf(key); row >= 0)
        markDirty(row, bit(Policy));
}

} // namespace bc::ui
