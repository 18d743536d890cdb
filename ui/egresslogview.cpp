#include "ui/egresslogview.h"

#include "core/boxes/consolesettings.h"
#include "core/util/futureutil.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace bc::ui {

EgressLogView::EgressLogView(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTreeWidget(this))
    , m_status(new QLabel(this))
    , m_refresh(new QPushButton(tr("Refresh"), this))
{
    m_table->setColumnCount(ColumnCount);
    m_table->setHeaderLabels(
        {tr("Time"), tr("Upstream"), tr("Method"), tr("Path"), tr("Verdict"), tr("Status")});
    m_table->setRootIsDecorated(false);
    m_table->setUniformRowHeights(true);
    m_table->setAlternatingRowColors(true);
    m_table->header()->setStretchLastSection(false);
    m_table->header()->setSectionResizeMode(PathColumn, QHeaderView::Stretch);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_status, 1);
    bar->addWidget(m_refresh);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    connect(m_refresh, &QPushButton::clicked, this, &EgressLogView::refresh);
    setBox(QString());
}

void EgressLogView::setBox(const QString &box)
{
    ++m_generation;
    m_box = box;
    m_table->clear();
    m_status->clear();
    m_refresh->setEnabled(!box.isEmpty());
}

void EgressLogView::setLogFile(const QString &path)
{
    m_logFile = path;
    m_logFileSet = true;
}

void EgressLogView::refresh()
{
    if (m_box.isEmpty())
        return;
    const QString path = m_logFileSet ? m_logFile : boxes::ConsoleSettings().egressLogFile();
    const quint64 generation = ++m_generation;
    if (path.isEmpty()) {
        m_table->clear();
        m_status->setText(tr("No egress log is configured (setting egress/logFile or "
                             "BOX_EGRESS_LOG)."));
        emit loaded();
        return;
    }
    m_status->setText(tr("Reading %1…").arg(path));
    const QString box = m_box;
    onFinished(
        QtConcurrent::run([path, box] { return infra::EgressLog::readRecent(path, box, MaxRows); }),
        this, [this, generation](const Result<QList<infra::EgressLogEntry>> &r) {
            apply(generation, r);
        });
}

void EgressLogView::apply(quint64 generation, const Result<QList<infra::EgressLogEntry>> &entries)
{
    if (generation != m_generation)
        return; // another box, or a newer read
    m_table->clear();
    if (!entries) {
        m_status->setText(entries.error().message());
        emit loaded();
        return;
    }
    QList<QTreeWidgetItem *> items;
    // Newest first.
    for (auto it = entries->crbegin(); it != entries->crend(); ++it) {
        auto *item = new QTreeWidgetItem;
        item->setText(TimeColumn, it->time.toLocalTime().toString(Qt::ISODate));
        item->setText(UpstreamColumn, it->upstream);
        item->setText(MethodColumn, it->method);
        item->setText(PathColumn, it->path);
        item->setToolTip(PathColumn, it->path);
        item->setText(VerdictColumn, it->allowed ? tr("allowed") : tr("denied"));
        item->setText(StatusColumn, it->status > 0 ? QString::number(it->status) : tr("-"));
        items << item;
    }
    m_table->addTopLevelItems(items);
    for (int c : {TimeColumn, UpstreamColumn, MethodColumn, VerdictColumn, StatusColumn})
        m_table->resizeColumnToContents(c);
    m_status->setText(
        entries->isEmpty()
            ? tr("No egress requests of %1 in the log.").arg(m_box)
            : tr("%n recent request(s) of %1.", nullptr, int(entries->size())).arg(m_box));
    emit loaded();
}

} // namespace bc::ui
