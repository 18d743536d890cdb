#include "ui/dataviewsdialog.h"
#include "core/util/futureutil.h"

#include "core/boxes/boxlabels.h"
#include "core/boxes/dockerbackend.h"
#include "core/docker/dockerclient.h"
#include "core/http/httprequest.h"
#include "core/http/httpresponse.h"
#include "ui/models/boxlistmodel.h"
#include "ui/statusicons.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

namespace bc::ui {

namespace {

QTreeWidget *makeTree(const QStringList &headers, const QString &name, QWidget *parent)
{
    auto *t = new QTreeWidget(parent);
    t->setHeaderLabels(headers);
    t->setAccessibleName(name);
    t->setRootIsDecorated(false);
    t->setUniformRowHeights(true);
    t->setAlternatingRowColors(true);
    t->setSortingEnabled(true);
    t->sortByColumn(0, Qt::AscendingOrder);
    t->header()->setStretchLastSection(true);
    return t;
}

// Rows keyed by their first string (hidden in UserRole): existing items are updated in
// place, missing ones removed, new ones added, so a refresh keeps selection and scroll.
void syncTree(QTreeWidget *tree, const QList<QStringList> &rows, const QSet<QString> &orphaned)
{
    QHash<QString, const QStringList *> wanted;
    for (const QStringList &r : rows)
        wanted.insert(r.first(), &r);
    for (int i = tree->topLevelItemCount() - 1; i >= 0; --i) {
        QTreeWidgetItem *item = tree->topLevelItem(i);
        if (!wanted.contains(item->data(0, Qt::UserRole).toString()))
            delete tree->takeTopLevelItem(i);
    }
    QHash<QString, QTreeWidgetItem *> present;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        present.insert(tree->topLevelItem(i)->data(0, Qt::UserRole).toString(),
                       tree->topLevelItem(i));
    for (const QStringList &r : rows) {
        QTreeWidgetItem *item = present.value(r.first());
        if (!item) {
            item = new QTreeWidgetItem(tree);
            item->setData(0, Qt::UserRole, r.first());
        }
        for (int c = 1; c < r.size(); ++c) {
            if (item->text(c - 1) != r.at(c))
                item->setText(c - 1, r.at(c));
            item->setToolTip(c - 1, r.at(c));
        }
        item->setIcon(0, orphaned.contains(r.first()) ? toneIcon(Tone::Warning) : QIcon());
    }
}

QString engineName(boxes::DockerBackend *engine)
{
    boxes::BoxInfo probe;
    probe.backendKind = engine->kind();
    probe.host = engine->displayHost();
    return BoxListModel::shortBackend(probe);
}

} // namespace

DataViewsDialog::DataViewsDialog(const QList<boxes::DockerBackend *> &engines, QWidget *parent)
    : QDialog(parent)
    , m_tabs(new QTabWidget(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Volumes, images and networks"));
    for (auto *e : engines)
        m_engines << e;
    m_volumes = makeTree({tr("Volume"), tr("Box"), tr("Size"), tr("Status"), tr("Engine")},
                         tr("Volumes"), this);
    m_images = makeTree({tr("Image"), tr("Size"), tr("Used by"), tr("Created"), tr("Engine")},
                        tr("Images"), this);
    m_networks = makeTree({tr("Network"), tr("Box"), tr("Driver"), tr("Status"), tr("Engine")},
                          tr("Networks"), this);
    m_tabs->addTab(m_volumes, tr("&Volumes"));
    m_tabs->addTab(m_images, tr("&Images"));
    m_tabs->addTab(m_networks, tr("&Networks"));
    m_tabs->setAccessibleName(tr("Data views"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_refresh = buttons->addButton(tr("&Refresh"), QDialogButtonBox::ActionRole);
    m_cleanup = buttons->addButton(tr("Remove &orphaned box data…"), QDialogButtonBox::ActionRole);
    m_cleanup->setToolTip(tr("Volumes and networks of boxes that no longer have a container "
                             "(kept data, interrupted deploys). You confirm the list first."));
    m_cleanup->setEnabled(false);
    connect(m_refresh, &QPushButton::clicked, this, &DataViewsDialog::refresh);
    connect(m_cleanup, &QPushButton::clicked, this, &DataViewsDialog::cleanUpOrphans);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_status->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(980, 520);
    refresh();
}

QStringList DataViewsDialog::orphanDescriptions() const
{
    QStringList out;
    for (const Orphan &o : m_orphans)
        out << o.description;
    return out;
}

void DataViewsDialog::refresh()
{
    ++m_generation;
    m_pending = 0;
    m_loadingOrphans.clear();
    m_flagged.clear();
    for (auto &rows : m_rows)
        rows.clear();
    m_refresh->setEnabled(false);
    m_status->setText(tr("Reading the engines…"));
    for (const auto &e : std::as_const(m_engines))
        if (e && e->client())
            loadEngine(e);
    if (m_pending == 0) {
        m_status->setText(tr("No Docker engine is configured."));
        m_refresh->setEnabled(true);
        emit loaded();
    }
}

void DataViewsDialog::loadEngine(boxes::DockerBackend *engine)
{
    docker::DockerClient *client = engine->client();
    const QString engineText = engineName(engine);
    const QString engineId = engine->id();
    const quint64 generation = m_generation;
    ++m_pending;
    docker::Filters boxLabel;
    boxLabel.insert(QStringLiteral("label"), {boxes::labels::box()});
    if (!m_labelFilter.isEmpty())
        boxLabel[QStringLiteral("label")] << m_labelFilter;
    // Everything in parallel; one continuation puts it together.
    struct Gather
    {
        std::optional<Result<QList<docker::ContainerSummary>>> containers;
        std::optional<Result<QList<docker::VolumeInfo>>> volumes;
        std::optional<Result<QList<docker::ImageSummary>>> images;
        std::optional<Result<QList<docker::NetworkInfo>>> networks;
        std::optional<Result<http::HttpResponse>> df;
    };
    auto g = std::make_shared<Gather>();
    QPointer<boxes::DockerBackend> guard(engine);
    const auto done = [this, g, generation, engineText, engineId, guard] {
        if (!g->containers || !g->volumes || !g->images || !g->networks || !g->df)
            return;
        if (generation != m_generation)
            return;
        QStringList errors;
        QSet<QString> boxesWithContainer;
        QHash<QString, int> imageUse;
        if (*g->containers) {
            for (const auto &c : g->containers->value()) {
                boxesWithContainer.insert(c.labels.value(boxes::labels::box()));
                imageUse[c.imageId] += 1;
            }
        } else {
            errors << g->containers->error().toString();
        }
        QHash<QString, qint64> sizes;
        if (*g->df && g->df->value().isSuccess()) {
            const auto doc =
                nlohmann::json::parse(g->df->value().body.toStdString(), nullptr, false);
            if (doc.is_object() && doc.contains("Volumes") && doc["Volumes"].is_array()) {
                for (const auto &v : doc["Volumes"]) {
                    if (!v.is_object() || !v.contains("Name") || !v["Name"].is_string())
                        continue;
                    qint64 size = -1;
                    if (v.contains("UsageData") && v["UsageData"].is_object() &&
                        v["UsageData"].contains("Size") && v["UsageData"]["Size"].is_number())
                        size = v["UsageData"]["Size"].get<qint64>();
                    sizes.insert(QString::fromStdString(v["Name"].get<std::string>()), size);
                }
            }
        }
        QList<QStringList> volumeRows;
        QList<QStringList> imageRows;
        QList<QStringList> networkRows;
        QSet<QString> orphanKeys;
        // Volumes and networks name their box in a label; with no container left for it,
        // they are orphans.
        auto isOrphan = [&boxesWithContainer](const QString &box) {
            return !box.isEmpty() && !boxesWithContainer.contains(box);
        };
        auto useText = [](const QString &box, bool orphan) {
            return orphan ? tr("orphaned: box %1 has no container").arg(box)
                          : tr("in use by %1").arg(box);
        };
        if (*g->volumes) {
            for (const auto &v : g->volumes->value()) {
                const QString box = v.labels.value(boxes::labels::box());
                const bool orphan = isOrphan(box);
                const qint64 size = sizes.value(v.name, -1);
                const QString key = engineId + QLatin1Char('|') + v.name;
                volumeRows << QStringList{key,
                                          v.name,
                                          box,
                                          size < 0 ? tr("unknown")
                                                   : BoxListModel::formatBytes(size),
                                          useText(box, orphan),
                                          engineText};
                if (orphan) {
                    orphanKeys.insert(key);
                    m_loadingOrphans.append(
                        {guard, true, v.name,
                         tr("volume %1 (box %2, %3) on %4")
                             .arg(v.name, box,
                                  size < 0 ? tr("size unknown") : BoxListModel::formatBytes(size),
                                  engineText)});
                }
            }
        } else {
            errors << g->volumes->error().toString();
        }
        if (*g->images) {
            for (const auto &i : g->images->value()) {
                const QString tag =
                    i.repoTags.isEmpty() || i.repoTags.first() == QLatin1String("<none>:<none>")
                        ? i.id.left(19)
                        : i.repoTags.join(QStringLiteral(", "));
                const int used = imageUse.value(i.id);
                imageRows << QStringList{
                    engineId + QLatin1Char('|') + i.id,
                    tag,
                    BoxListModel::formatBytes(i.size),
                    used == 0   ? tr("no box")
                    : used == 1 ? tr("1 box")
                                : tr("%1 boxes").arg(used),
                    QLocale().toString(QDateTime::fromSecsSinceEpoch(i.created).toLocalTime(),
                                       QLocale::ShortFormat),
                    engineText};
            }
        } else {
            errors << g->images->error().toString();
        }
        if (*g->networks) {
            for (const auto &n : g->networks->value()) {
                const QString box = n.labels.value(boxes::labels::box());
                const bool orphan = isOrphan(box);
                const QString key = engineId + QLatin1Char('|') + n.id;
                networkRows << QStringList{key,
                                           n.name,
                                           box,
                                           n.driver + (n.internal ? tr(", internal") : QString()),
                                           useText(box, orphan),
                                           engineText};
                if (orphan) {
                    orphanKeys.insert(key);
                    m_loadingOrphans.append(
                        {guard, false, n.id,
                         tr("network %1 (box %2) on %3").arg(n.name, box, engineText)});
                }
            }
        } else {
            errors << g->networks->error().toString();
        }
        m_rows[0].insert(engineId, volumeRows);
        m_rows[1].insert(engineId, imageRows);
        m_rows[2].insert(engineId, networkRows);
        QList<QStringList> all[3];
        for (int t = 0; t < 3; ++t)
            for (const auto &rows : std::as_const(m_rows[t]))
                all[t] += rows;
        m_flagged += orphanKeys;
        syncTree(m_volumes, all[0], m_flagged);
        syncTree(m_images, all[1], {});
        syncTree(m_networks, all[2], m_flagged);
        for (QTreeWidget *t : {m_volumes, m_images, m_networks})
            for (int c = 0; c < t->columnCount() - 1; ++c) {
                t->resizeColumnToContents(c);
                t->setColumnWidth(c, t->columnWidth(c) + 16);
            }
        if (!errors.isEmpty())
            m_status->setText(tr("%1: %2").arg(engineText, errors.join(QStringLiteral("; "))));
        finishOne();
    };
    onFinished(client->listContainers(true, boxLabel), this, [g, done](const auto &r) {
        g->containers = r;
        done();
    });
    onFinished(client->listVolumes(boxLabel), this, [g, done](const auto &r) {
        g->volumes = r;
        done();
    });
    onFinished(client->listImages(), this, [g, done](const auto &r) {
        g->images = r;
        done();
    });
    onFinished(client->listNetworks(boxLabel), this, [g, done](const auto &r) {
        g->networks = r;
        done();
    });
    http::HttpRequest df;
    df.target = "/system/df?type=volume";
    onFinished(client->request(df), this, [g, done](const auto &r) {
        g->df = r;
        done();
    });
}

void DataViewsDialog::finishOne()
{
    if (--m_pending > 0)
        return;
    m_orphans = std::exchange(m_loadingOrphans, {});
    m_refresh->setEnabled(true);
    m_cleanup->setEnabled(!m_orphans.isEmpty());
    if (m_status->text() == tr("Reading the engines…"))
        m_status->setText(m_orphans.isEmpty()
                              ? tr("No orphaned box data.")
                              : (m_orphans.size() == 1
                                     ? tr("1 orphaned item: a volume or network of a box that "
                                          "no longer has a container.")
                                     : tr("%1 orphaned items: volumes or networks of boxes that "
                                          "no longer have a container.")
                                           .arg(m_orphans.size())));
    emit loaded();
}

void DataViewsDialog::cleanUpOrphans()
{
    if (m_orphans.isEmpty())
        return;
    const QStringList items = orphanDescriptions();
    QMessageBox box(
        QMessageBox::Warning, tr("Remove orphaned box data?"),
        (items.size() == 1
             ? tr("This removes 1 item for good, with the data in it:")
             : tr("This removes %1 items for good, with the data in them:").arg(items.size())),
        QMessageBox::NoButton, this);
    QStringList shown = items.mid(0, 15);
    if (items.size() > 15)
        shown << tr("… and %n more (see details)", nullptr, int(items.size()) - 15);
    box.setInformativeText(QStringLiteral("• ") + shown.join(QStringLiteral("\n• ")));
    box.setDetailedText(items.join(QLatin1Char('\n')));
    QPushButton *remove = box.addButton(items.size() == 1 ? tr("Remove 1 item")
                                                          : tr("Remove %1 items").arg(items.size()),
                                        QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.setObjectName(QStringLiteral("confirmCleanup"));
    box.exec();
    if (box.clickedButton() != remove)
        return;
    const QList<Orphan> orphans = m_orphans;
    m_cleanup->setEnabled(false);
    auto remaining = std::make_shared<int>(int(orphans.size()));
    auto failed = std::make_shared<QStringList>();
    for (const Orphan &o : orphans) {
        if (!o.engine || !o.engine->client()) {
            --*remaining;
            continue;
        }
        QFuture<VoidResult> f = o.volume ? o.engine->client()->removeVolume(o.name)
                                         : o.engine->client()->removeNetwork(o.name);
        const QString what = o.description;
        const int total = int(orphans.size());
        onFinished(f, this, [this, remaining, failed, what, total](const VoidResult &r) {
            if (!r)
                failed->append(tr("%1: %2").arg(what, r.error().message()));
            if (--*remaining > 0)
                return;
            m_status->setText(
                failed->isEmpty()
                    ? (total == 1 ? tr("Removed 1 item.") : tr("Removed %1 items.").arg(total))
                    : tr("Could not remove: %1").arg(failed->join(QStringLiteral("; "))));
            emit cleanedUp(total - int(failed->size()), int(failed->size()));
            refresh();
        });
    }
}

} // namespace bc::ui
