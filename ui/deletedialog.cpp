#include "ui/deletedialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace bc::ui {

DeleteDialog::DeleteDialog(const QList<boxes::BoxInfo> &boxes, QWidget *parent)
    : QDialog(parent)
    , m_keepData(
          new QCheckBox(tr("Keep data (the box's volumes stay for a later re-deploy)"), this))
{
    setWindowTitle(boxes.size() == 1 ? tr("Delete %1?").arg(boxes.first().name)
                                     : tr("Delete %n boxes?", nullptr, int(boxes.size())));
    QStringList names;
    bool anyKeep = false;
    for (const boxes::BoxInfo &b : boxes) {
        names << QStringLiteral("<li><b>%1</b> on %2</li>")
                     .arg(b.name.toHtmlEscaped(),
                          (b.host.isEmpty() ? b.backendKind : b.host).toHtmlEscaped());
        anyKeep = anyKeep ||
                  b.labels.value(QStringLiteral("box-console.keep-data")) == QLatin1String("true");
    }
    m_message = tr("This stops and removes:<ul>%1</ul>its container, its network and, unless "
                   "you keep data, its volumes. This cannot be undone.")
                    .arg(names.join(QString()));
    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(32, 32));
    auto *text = new QLabel(m_message, this);
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);
    m_keepData->setChecked(anyKeep);

    auto *buttons = new QDialogButtonBox(this);
    m_delete =
        buttons->addButton(boxes.size() == 1 ? tr("Delete %1").arg(boxes.first().name)
                                             : tr("Delete %n boxes", nullptr, int(boxes.size())),
                           QDialogButtonBox::DestructiveRole);
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
    layout->addWidget(m_keepData);
    layout->addWidget(buttons);
}

bool DeleteDialog::keepData() const
{
    return m_keepData->isChecked();
}

} // namespace bc::ui
