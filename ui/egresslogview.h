#pragma once

#include "core/infra/egresslog.h"
#include "core/result.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace bc::ui {

// A box's recent egress requests from the proxy's log (the console's egress/logFile or
// BOX_EGRESS_LOG): time, upstream, method, path, allowed or denied, status. The file is
// read on a worker thread; a result for a box that is no longer shown is dropped.
class EgressLogView final : public QWidget
{
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        UpstreamColumn,
        MethodColumn,
        PathColumn,
        VerdictColumn,
        StatusColumn,
        ColumnCount
    };
    static constexpr int MaxRows = 200;

    explicit EgressLogView(QWidget *parent = nullptr);

    // Clears the view; the next refresh() reads this box's requests.
    void setBox(const QString &box);
    void refresh();
    // Overrides the configured log file (tests).
    void setLogFile(const QString &path);

    QTreeWidget *table() const { return m_table; }
    QLabel *status() const { return m_status; }

signals:
    void loaded();

private:
    void apply(quint64 generation, const Result<QList<infra::EgressLogEntry>> &entries);

    QString m_box;
    QString m_logFile;
    bool m_logFileSet = false;
    quint64 m_generation = 0;
    QTreeWidget *m_table;
    QLabel *m_status;
    QPushButton *m_refresh;
};

} // namespace bc::ui
