#include "ui/shortcutsdialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace bc::ui {

ShortcutsDialog::ShortcutsDialog(const QList<QPair<QString, QString>> &shortcuts, QWidget *parent)
    : QDialog(parent)
    , m_table(new QTableWidget(int(shortcuts.size()), 2, this))
{
    setWindowTitle(tr("Keyboard shortcuts"));
    m_table->setAccessibleName(tr("Keyboard shortcuts"));
    m_table->setHorizontalHeaderLabels({tr("Action"), tr("Keys")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setTabKeyNavigation(false);
    m_table->setAlternatingRowColors(true);
    for (int r = 0; r < shortcuts.size(); ++r) {
        m_table->setItem(r, 0, new QTableWidgetItem(shortcuts.at(r).first));
        m_table->setItem(r, 1, new QTableWidgetItem(shortcuts.at(r).second));
    }
    m_table->resizeColumnToContents(0);
    m_table->horizontalHeader()->setStretchLastSection(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(560, 520);
}

} // namespace bc::ui
