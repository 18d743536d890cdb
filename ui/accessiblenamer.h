#pragma once

#include <QObject>

class QWidget;

namespace bc::ui {

// Gives a screen reader a name for what in a window has none: Qt's own helper buttons
// (clear buttons, the table corner, tab scrollers, toolbar and menu bar extensions) and
// views and fields that later tabs add, named after their group or tab.
class AccessibleNamer final : public QObject
{
    Q_OBJECT
public:
    explicit AccessibleNamer(QWidget *root);

    // Names what is unnamed now; run again when the window adds controls.
    void nameControls();

private:
    QWidget *m_root;
};

} // namespace bc::ui
