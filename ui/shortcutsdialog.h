#pragma once

#include <QDialog>

class QTableWidget;

namespace bc::ui {

// Help → Keyboard shortcuts: every shortcut of the window with what it does.
class ShortcutsDialog final : public QDialog
{
    Q_OBJECT
public:
    ShortcutsDialog(const QList<QPair<QString, QString>> &shortcuts, QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table;
};

} // namespace bc::ui
