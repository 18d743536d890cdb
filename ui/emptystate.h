#pragma once

#include <QWidget>

class QPushButton;

namespace bc::ui {

// What the console shows instead of the box list while there are no boxes: what a box is,
// and the two ways on (deploy one, or add an engine).
class EmptyState final : public QWidget
{
    Q_OBJECT
public:
    explicit EmptyState(QWidget *parent = nullptr);

    QPushButton *deployButton() const { return m_deploy; }

signals:
    void deployRequested();
    void settingsRequested();

private:
    QPushButton *m_deploy;
};

} // namespace bc::ui
