#pragma once

#include <QList>
#include <QWidget>

class QComboBox;
class QLineEdit;
class QTableView;

namespace bc::boxes {
class BoxBackend;
}

namespace bc::ui {

class BoxFilterProxyModel;

// The row above the box list that narrows it: free text, state, health and backend. Enter
// in the text selects the first match, Escape goes back to the list, "/" in the list comes
// here.
class BoxFilterBar final : public QWidget
{
    Q_OBJECT
public:
    explicit BoxFilterBar(BoxFilterProxyModel *proxy, QWidget *parent = nullptr);

    // The list it filters, made after the bar so that Tab goes from the filters to it.
    void setTable(QTableView *table);

    QLineEdit *filterEdit() const { return m_filter; }
    QComboBox *stateFilter() const { return m_stateFilter; }
    // The backend choices; the chosen one stays chosen while it exists.
    void setBackends(const QList<boxes::BoxBackend *> &backends);
    // Into the text with it selected (Ctrl+F).
    void focusFilter();

private:
    BoxFilterProxyModel *m_proxy;
    QTableView *m_table = nullptr;
    QLineEdit *m_filter;
    QComboBox *m_stateFilter;
    QComboBox *m_healthFilter;
    QComboBox *m_backendFilter;
};

} // namespace bc::ui
