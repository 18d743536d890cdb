#pragma once

#include "core/boxes/boxinfo.h"

#include <QDialog>

class QCheckBox;
class QListWidget;
class QPushButton;

namespace bc::ui {

// Confirms deleting, stopping or restarting one or more boxes: what happens in words (the
// stop signal, then a kill after the grace period), every box named in a list that scrolls
// (a hundred fit), the keep-data choice for Delete. The default button is Cancel: Enter
// must never delete or stop.
class DeleteDialog final : public QDialog
{
    Q_OBJECT
public:
    enum class Mode { Delete, Stop, Restart };
    explicit DeleteDialog(const QList<boxes::BoxInfo> &boxes, QWidget *parent = nullptr,
                          Mode mode = Mode::Delete, int graceSeconds = 10);
    QListWidget *list() const { return m_list; }

    bool keepData() const;
    QCheckBox *keepDataBox() const { return m_keepData; }
    QPushButton *deleteButton() const { return m_delete; }
    QString message() const { return m_message; }

private:
    QListWidget *m_list;
    QCheckBox *m_keepData;
    QPushButton *m_delete;
    QString m_message;
};

} // namespace bc::ui
