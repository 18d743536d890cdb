#include "ui/deletedialog.h"

#include "core/boxes/boxlabels.h"

#include "ui/models/boxlistmodel.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace bc::ui {

DeleteDialog::DeleteDialog(const QList<boxes::BoxInfo> &boxes, QWidget *parent, Mode mode,
                           int graceSeconds)
    : QDialog(parent)
    , m_list(new QListWidget(this))
    , m_keepData(
          new QCheckBox(tr("Keep data (the box's volumes stay for a later re-deploy)"), this))
{
    const int n = int(boxes.size());
    const QString one = n == 1 ? boxes.first().name : QString();
    QString verb;
    QString button;
    switch (mode) {
    case Mode::Delete:
        setWindowTitle(n == 1 ? tr("Delete %1?").arg(one) : tr("Delete %n boxes?", nullptr, n));
        button = n == 1 ? tr("Delete %1").arg(one) : tr("Delete %n boxes", nullptr, n);
        verb = tr("Each box is stopped (its stop signal, then killed if it has not exited "
                  "after its %1 s grace period) and removed: its container, its "
                  "network and, unless you keep data, its volumes. This cannot be undone.")
                   .arg(graceSeconds);
        break;
    case Mode::Stop:
        setWindowTitle(n == 1 ? tr("Stop %1?").arg(one) : tr("Stop %n boxes?", nullptr, n));
        button = n == 1 ? tr("Stop %1").arg(one) : tr("Stop %n boxes", nullptr, n);
        verb = tr("Each box gets its stop signal and is killed if it has not exited after "
                  "its %1 s grace period. Data stays; Start brings it back.")
                   .arg(graceSeconds);
        break;
    case Mode::Restart:
        setWindowTitle(n == 1 ? tr("Restart %1?").arg(one) : tr("Restart %n boxes?", nullptr, n));
        button = n == 1 ? tr("Restart %1").arg(one) : tr("Restart %n boxes", nullptr, n);
        verb = tr("Each box gets its stop signal, is killed if it has not exited after its "
                  "%1 s grace period, and starts again.")
                   .arg(graceSeconds);
        break;
    }
    QStringList names;
    bool anyKeep = false;
    for (const boxes::BoxInfo &b : boxes) {
        auto *item = new QListWidgetItem(
            tr("%1 — %2, on %3")
                .arg(b.name, BoxListModel::stateLabel(b), BoxListModel::shortBackend(b)),
            m_list);
        item->setToolTip(b.host);
        names << b.name;
        anyKeep = anyKeep || b.labels.value(bc::boxes::labels::keepData()) == QLatin1String("true");
    }
    m_message = verb + QLatin1Char('\n') + names.join(QStringLiteral(", "));
    m_list->setAccessibleName(tr("Boxes affected"));
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_list->setAlternatingRowColors(true);
    // Up to ten rows high, then it scrolls: a hundred boxes still fit the screen.
    const int row =
        m_list->sizeHintForRow(0) > 0 ? m_list->sizeHintForRow(0) : fontMetrics().height() + 4;
    m_list->setMaximumHeight(row * std::min(n, 10) + 2 * m_list->frameWidth() + 4);
    m_list->setMinimumHeight(row * std::min(n, 3) + 2 * m_list->frameWidth() + 4);

    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(32, 32));
    auto *text = new QLabel(verb, this);
    text->setWordWrap(true);
    m_keepData->setChecked(anyKeep);
    m_keepData->setVisible(mode == Mode::Delete);

    auto *buttons = new QDialogButtonBox(this);
    m_delete = buttons->addButton(button, QDialogButtonBox::DestructiveRole);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setDefault(true);
    cancel->setFocus();
    connect(m_delete, &QPushButton::clicked, this, &QDialog::accept);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);

    auto *top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addWidget(text, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_keepData);
    layout->addWidget(buttons);
    setMinimumWidth(520);
}

bool DeleteDialog::keepData() const
{
    return m_keepData->isChecked();
}

} // namespace bc::ui
