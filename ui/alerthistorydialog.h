#pragma once

#include <QDialog>

class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace bc::ui {

class AlertHistoryModel;

// Every alert of this session, newest first: filter by box or text, clear. Non-modal, so
// it can stay open next to the list.
class AlertHistoryDialog final : public QDialog
{
    Q_OBJECT
public:
    AlertHistoryDialog(AlertHistoryModel *model, QWidget *parent = nullptr);

    QLineEdit *filterEdit() const { return m_filter; }
    QTableView *view() const { return m_view; }
    QPushButton *clearButton() const { return m_clear; }
    int shownCount() const;

private:
    AlertHistoryModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QTableView *m_view;
    QPushButton *m_clear;
};

} // namespace bc::ui
