#pragma once

#include "core/boxes/boxinfo.h"

#include <QDialog>

class QCheckBox;
class QPushButton;

namespace bc::ui {

// Confirms deleting one or more boxes, naming each, with the keep-data choice. The default
// button is Cancel: Enter must never delete.
class DeleteDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit DeleteDialog(const QList<boxes::BoxInfo> &boxes, QWidget *parent = nullptr);

    bool keepData() const;
    QCheckBox *keepDataBox() const { return m_keepData; }
    QPushButton *deleteButton() const { return m_delete; }
    QString message() const { return m_message; }

private:
    QCheckBox *m_keepData;
    QPushButton *m_delete;
    QString m_message;
};

} // namespace bc::ui
