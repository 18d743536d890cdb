#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace bc::ui {

// An in-window strip for alerts when there is no system tray (or in addition to it): the
// newest alert with a count of earlier unread ones (a link to the history), dismissable. Colours
// come from the palette (a tinted ToolTipBase), so it reads in light and dark themes.
class AlertBanner final : public QFrame
{
    Q_OBJECT
public:
    explicit AlertBanner(QWidget *parent = nullptr);

    void showAlert(const QString &title, const QString &text);
    void dismiss();
    QString currentText() const;
    int unread() const { return m_unread; }

    QToolButton *historyButton() const { return m_history; }

signals:
    void activated(const QString &boxKey);
    // "+N earlier" or "History…": the alert history pane should open.
    void historyRequested();

private:
    QLabel *m_icon;
    QLabel *m_text;
    QToolButton *m_history;
    QToolButton *m_close;
    int m_unread = 0;
};

} // namespace bc::ui
